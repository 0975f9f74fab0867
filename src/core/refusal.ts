import type { FreezePeriod } from './freeze.js';
import type { Lock } from './lock.js';
import type { UserStanding } from './user-standing.js';

/**
 * Why deploybot says no, as data: the rule that refused and the facts it refused on. The
 * words are in command-replies-refusal.ts, so a refusal can be shown anywhere. `whoMay` holds
 * Slack mentions (`<@U…>`, `<!subteam^S…>`) of those who may instead; empty when nobody may.
 */
export type Refusal = PermissionRefusal | LockRefusal | FreezeRefusal | RollbackRefusal;

export type RefusalRule = Refusal['rule'];

export type PermissionRefusal =
  /** `deployers` does not list the asker (nor a group of theirs), and they are no admin. */
  | { readonly rule: 'not_a_deployer'; readonly environment: string; readonly whoMay: string[] }
  /** Forcing past failing checks and taking over a lock are for admins. */
  | {
      readonly rule: 'admins_only';
      readonly act: 'force' | 'take_over_lock';
      readonly environment: string;
      readonly whoMay: string[];
    }
  /** A confirmation's buttons are the asker's. */
  | { readonly rule: 'not_the_asker'; readonly asker: string; readonly whoMay: string[] }
  | { readonly rule: 'own_deploy'; readonly whoMay: string[] }
  /** A guest or a user of another workspace whom the environment does not list by ID (none named: any). */
  | {
      readonly rule: 'not_a_member';
      readonly standing: Exclude<UserStanding, 'member'>;
      readonly environment?: string;
      readonly whoMay: string[];
    }
  /** Cancelling deployments someone else asked for, without being an admin or the lock holder. */
  | { readonly rule: 'not_your_deploy'; readonly environment: string; readonly whoMay: string[] }
  | { readonly rule: 'not_an_approver'; readonly environment: string; readonly whoMay: string[] };

export type LockRefusal =
  /** A deploy into an environment someone else locked. */
  | { readonly rule: 'locked'; readonly lock: Lock; readonly now: number }
  /** Locking what someone else holds, without asking to take it over. */
  | { readonly rule: 'lock_held'; readonly lock: Lock; readonly now: number; readonly whoMay: string[] }
  /** Unlocking what someone else holds, without being an admin. */
  | { readonly rule: 'not_the_holder'; readonly lock: Lock; readonly now: number; readonly whoMay: string[] };

export type RollbackRefusal = { readonly rule: 'nothing_deployed' } | { readonly rule: 'nothing_earlier' };

/** A deploy into an environment while one of its freeze windows is open; admins may with `!`. */
export type FreezeRefusal = {
  readonly rule: 'frozen';
  readonly environment: string;
  readonly freeze: FreezePeriod;
  readonly now: number;
  readonly whoMay: string[];
};
