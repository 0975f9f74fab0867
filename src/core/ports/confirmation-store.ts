import type { ChatDeployPlan } from '../chat-deploy.js';
import type { LockTakeover } from '../lock-policy.js';

/** What a button goes ahead with when pressed, by what kind of button it is. */
export type ConfirmationRequest =
  | { readonly kind: 'deploy' | 'force' | 'approval'; readonly request: ChatDeployPlan }
  | { readonly kind: 'steal'; readonly request: LockTakeover };

export type NewConfirmation = ConfirmationRequest & {
  readonly id: string;
  /** Slack user ID of who may press it (approvals: who asked). */
  readonly userId: string;
  readonly channel: string;
  readonly createdAt: number;
  readonly expiresAt: number;
};

export type Confirmation = NewConfirmation & { readonly state: 'open' | 'done' | 'cancelled' };

export interface ConfirmationStore {
  saveConfirmation(confirmation: NewConfirmation): Promise<void>;
  getConfirmation(id: string): Promise<Confirmation | undefined>;
  /**
   * Moves an open confirmation to `done` or `cancelled`. Only one caller ever wins, so a
   * button pressed twice (or by two people at once) acts once.
   */
  decideConfirmation(id: string, state: 'done' | 'cancelled', by: string, now: number): Promise<boolean>;
}
