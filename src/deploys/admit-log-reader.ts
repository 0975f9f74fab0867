import type { ChatPort } from '../core/ports/chat.js';
import type { SlackSignInPort } from '../core/ports/slack-sign-in.js';
import type { Clock } from '../core/scheduler.js';
import { readSignInClaims } from '../core/sign-in-claims.js';
import type { UserStanding } from '../core/user-standing.js';
import { standingFor } from './asker-for.js';

export interface AdmitLogReaderOptions {
  readonly signIn: SlackSignInPort;
  readonly chat: Pick<ChatPort, 'userInfo' | 'workspaceId'>;
  readonly clock: Clock;
  /** The Slack base URL, the ID token's `iss`. */
  readonly issuer: string;
  readonly clientId: string;
}

export interface SignInAnswer {
  readonly code: string;
  readonly redirectUri: string;
  /** The nonce sent with the authorize request. */
  readonly nonce: string;
}

export type LogReaderAdmission =
  | { readonly admitted: true; readonly userId: string; readonly teamId: string }
  /** `invalid`: Slack refused the code or the ID token does not hold; the others name who they are. */
  | { readonly admitted: false; readonly reason: 'invalid' | Exclude<UserStanding, 'member'> };

export type AdmitLogReader = (answer: SignInAnswer) => Promise<LogReaderAdmission>;

/**
 * Who may read deploy logs: a full member of deploybot's own workspace, as Slack vouches for
 * them through Sign in with Slack. The ID token's team must be ours, and Slack's users.info must
 * place them in it as a member (the same rule as commands: guests and other workspaces are not).
 */
export function createAdmitLogReader(options: AdmitLogReaderOptions): AdmitLogReader {
  return async ({ code, redirectUri, nonce }) => {
    const claims = await options.signIn.exchangeCode(code, redirectUri);
    if (!claims) return { admitted: false, reason: 'invalid' };
    const reading = readSignInClaims(claims, {
      issuer: options.issuer,
      clientId: options.clientId,
      nonce,
      now: options.clock.now(),
    });
    if (!reading.ok) return { admitted: false, reason: 'invalid' };
    if (reading.teamId !== (await options.chat.workspaceId())) return { admitted: false, reason: 'outsider' };
    const standing = await standingFor(options.chat, reading.userId);
    if (standing !== 'member') return { admitted: false, reason: standing };
    return { admitted: true, userId: reading.userId, teamId: reading.teamId };
  };
}
