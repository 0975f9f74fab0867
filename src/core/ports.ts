import type { DeploymentFacts, StatusFacts } from './announcement.js';
import type { MessageContent } from './message.js';

/** What the domain needs from a chat service. The Slack adapter in src/bot/ implements it. */
export interface Announcer {
  /**
   * Posts or updates the deployment's one message and records the status in its thread. The
   * first message goes to the first of `channels` that can be posted in.
   */
  announceDeploymentStatus(
    channels: readonly string[],
    deployment: DeploymentFacts,
    status: StatusFacts,
  ): Promise<void>;
  /** Posts a message; returns its ts. */
  postMessage(channel: string, content: MessageContent, options?: { threadTs?: string }): Promise<string>;
  updateMessage(channel: string, ts: string, content: MessageContent): Promise<void>;
}
