import { randomUUID } from 'node:crypto';
import { buildDeploymentPayload, buildDeploymentStatusPayload } from './deployment-payloads.js';
import type { StoredDeployment, StoredStatus } from './deployment-store.js';
import { GITHUB_WEB, replaceInStrings } from './payload-basics.js';
import type { RepositoryRecord } from './repository-state.js';
import {
  deliverWebhook,
  type SentWebhook,
  type WebhookResult,
  type WebhookSendOptions,
} from './webhook-delivery.js';

export interface OutboxSettings {
  webhookUrl(): string | undefined;
  secret: string | undefined;
  installationId: number | undefined;
  apiUrl(): string;
  /** Where html_url fields point: https://github.com, or the stand-in as GitHub Enterprise Server. */
  webUrl(): string;
}

function describeRepository(repository: RepositoryRecord) {
  return { defaultBranch: repository.defaultBranch, private: repository.private, id: repository.id };
}

/** The webhooks the stand-in sends, with a record of each delivery for tests to inspect. */
export class WebhookOutbox {
  readonly sent: SentWebhook[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly settings: OutboxSettings) {}

  announceDeployment(repository: RepositoryRecord, deployment: StoredDeployment): void {
    const payload = buildDeploymentPayload({
      repo: repository.fullName,
      deployment: { ...structuredClone(deployment) },
      repository: describeRepository(repository),
      installationId: this.settings.installationId,
      apiUrl: this.settings.apiUrl(),
    });
    this.enqueue('deployment', this.onWebHost(payload));
  }

  announceStatus(repository: RepositoryRecord, deployment: StoredDeployment, status: StoredStatus): void {
    const payload = buildDeploymentStatusPayload({
      repo: repository.fullName,
      deployment: { ...structuredClone(deployment) },
      status: { ...structuredClone(status) },
      repository: describeRepository(repository),
      installationId: this.settings.installationId,
      apiUrl: this.settings.apiUrl(),
    });
    this.enqueue('deployment_status', this.onWebHost(payload));
  }

  private onWebHost<T>(payload: T): T {
    const webUrl = this.settings.webUrl();
    return webUrl === GITHUB_WEB ? payload : replaceInStrings(payload, `${GITHUB_WEB}/`, `${webUrl}/`);
  }

  /**
   * One delivery at a time, in creation order, so a receiver sees `deployment` before its statuses.
   * The payload is built now, so it shows the state at the moment GitHub would have sent it.
   */
  private enqueue(event: string, payload: unknown): void {
    if (this.settings.webhookUrl() === undefined) return;
    this.queue = this.queue.then(async () => {
      try {
        await this.send(event, payload);
      } catch {
        // send() already recorded the failure; later deliveries still go out.
      }
    });
  }

  async send(event: string, payload: unknown, options: WebhookSendOptions = {}): Promise<WebhookResult> {
    const url = this.settings.webhookUrl();
    if (url === undefined) throw new Error('GitHub stand-in: set webhookUrl before sending webhooks');
    const secret = options.secret ?? this.settings.secret;
    const deliveryId = options.deliveryId ?? randomUUID();
    try {
      const result = await deliverWebhook(url, event, payload, { ...options, secret, deliveryId });
      this.sent.push({ event, deliveryId, status: result.status, payload });
      return result;
    } catch (error) {
      this.sent.push({ event, deliveryId, status: 0, payload, error: String(error) });
      throw error;
    }
  }

  flush(): Promise<void> {
    return this.queue;
  }
}
