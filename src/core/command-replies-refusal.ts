/** The words of every refusal: one place, whatever shows it. Mentions are kept; user text is escaped. */
import { describeLock } from './command-replies-lock.js';
import { freezeUntil } from './freeze-text.js';
import { escapeMrkdwn, type MessageContent, mrkdwn } from './message.js';
import { mention } from './policy.js';
import type { Refusal } from './refusal.js';

/** Why not, in mrkdwn, ready to show. */
export function describeRefusal(refusal: Refusal): string {
  switch (refusal.rule) {
    case 'not_a_deployer':
      return withWhoMay(`You may not deploy to ${environment(refusal.environment)}.`, refusal.whoMay);
    case 'admins_only': {
      const what = refusal.act === 'force' ? 'force a deploy past failing checks' : 'take over a lock';
      const on = `Only admins may ${what} on ${environment(refusal.environment)}`;
      return refusal.whoMay.length === 0
        ? `${on}, and it has none (\`admins:\` in deploybot.yml).`
        : withWhoMay(`${on}.`, refusal.whoMay);
    }
    case 'not_a_member': {
      const who = refusal.standing === 'guest' ? 'Guests of this workspace' : 'Users of other workspaces';
      return refusal.environment === undefined
        ? `${who} may use deploybot only if an environment's \`deployers\` or \`admins\` in deploybot.yml list them by user ID.`
        : `${who} may use deploybot on ${environment(refusal.environment)} only if its \`deployers\` or \`admins\` in deploybot.yml list them by user ID.`;
    }
    case 'not_your_deploy':
      return withWhoMay(
        `Someone else asked for a deploy there; only admins of ${environment(refusal.environment)} or the lock holder may cancel it.`,
        refusal.whoMay,
      );
    case 'not_the_asker':
      return `Only ${mention(refusal.asker)} can press these buttons: it's their deploy.`;
    case 'own_deploy':
      return withWhoMay('You cannot approve your own deploy; someone else has to.', refusal.whoMay);
    case 'not_an_approver':
      return withWhoMay(
        `Only deployers of ${environment(refusal.environment)} may approve deploys there.`,
        refusal.whoMay,
      );
    case 'locked':
      return `${describeLock(refusal.lock, refusal.now)} Ask them to unlock it, or ask an admin.`;
    case 'lock_held':
      return `${describeLock(refusal.lock, refusal.now)} An admin can take it over with \`lock …!\`.`;
    case 'not_the_holder':
      return `${describeLock(refusal.lock, refusal.now)} Only ${mention(refusal.lock.holder)} or an admin can unlock it.`;
    case 'frozen': {
      const frozen = `${environment(refusal.environment)} is ${freezeUntil(refusal.freeze, refusal.now)}: no deploys there until then.`;
      return refusal.whoMay.length === 0
        ? `${frozen} Only admins may deploy during a freeze, and it has none (\`admins:\` in deploybot.yml).`
        : `${frozen} An admin may still deploy with \`!\`: ask ${joinOr(refusal.whoMay)}.`;
    }
    case 'nothing_deployed':
      return 'Nothing has been deployed there successfully, so there is nothing to roll back.';
    case 'nothing_earlier':
      return 'There is no earlier successful deploy of another commit there to roll back to.';
  }
}

/** A refusal as a message for the asker. */
export function renderRefusal(refusal: Refusal): MessageContent {
  const reason = describeRefusal(refusal);
  return { text: reason, blocks: [{ type: 'section', text: mrkdwn(`:no_entry: ${reason}`) }] };
}

/** "a", "a or b", "a, b or c" */
export function joinOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

function withWhoMay(reason: string, whoMay: readonly string[]): string {
  return whoMay.length > 0 ? `${reason} Ask ${joinOr(whoMay)}.` : reason;
}

function environment(name: string): string {
  return `*${escapeMrkdwn(name)}*`;
}
