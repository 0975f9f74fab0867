import type { Config } from '../core/config.js';
import { checkWorkspaceMembership, type Permission } from '../core/policy.js';
import type { ChatPort } from '../core/ports/chat.js';
import { standingFor } from './asker-for.js';

export interface AdmitChatUserOptions {
  readonly config: Config;
  readonly chat: ChatPort;
}

/**
 * Whether deploybot listens to this user at all: members of its workspace, and guests or users
 * of other workspaces that some environment lists by user ID. Checked before every command;
 * the commands that touch an environment check again against that environment.
 */
export type AdmitChatUser = (userId: string) => Promise<Permission>;

export function createAdmitChatUser(options: AdmitChatUserOptions): AdmitChatUser {
  return async (userId) =>
    checkWorkspaceMembership(options.config, { userId, standing: await standingFor(options.chat, userId) });
}
