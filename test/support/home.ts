import type { StoredView } from '../../src/stand-ins/slack/views.js';
import type { SlackStandIn } from '../../src/stand-ins/slack-stand-in.js';
import { SECRETS } from './harness.js';

/** What the Home and modal tests drive: the app's Slack endpoint and the Slack stand-in. */
export interface HomeTarget {
  readonly url: string;
  readonly slack: SlackStandIn;
}

const eventsUrl = (h: HomeTarget) => `${h.url}/slack/events`;

/** The user opens deploybot's Home tab. */
export function openHome(h: HomeTarget, userId = 'U0ALICE') {
  return h.slack.sendAppHomeOpened(eventsUrl(h), SECRETS.slackSigningSecret, userId);
}

/** The views.publish calls that went through for a user, oldest first. */
export function publishesFor(h: HomeTarget, userId = 'U0ALICE') {
  return h.slack.calls.filter(
    (c) => c.method === 'views.publish' && c.args.user_id === userId && c.response.ok,
  );
}

/** Waits for the `n`th (1-based) published board of a user, and returns its text and buttons. */
export async function waitForBoard(h: HomeTarget, n: number, userId = 'U0ALICE') {
  const call = await h.slack.waitFor(() => publishesFor(h, userId)[n - 1], { timeoutMs: 10_000 });
  return readView(call.args.view as Record<string, unknown>);
}

interface ViewBlock {
  readonly type: string;
  readonly block_id?: string;
  readonly text?: { readonly text: string };
  readonly elements?: ReadonlyArray<{
    readonly text?: string | { readonly text: string };
    readonly action_id?: string;
    readonly value?: string;
  }>;
  readonly element?: {
    readonly options?: ReadonlyArray<{ readonly value: string }>;
    readonly placeholder?: { readonly text: string };
  };
}

/** A view's text (sections and context) and its buttons by action id. */
export function readView(view: Record<string, unknown>) {
  const blocks = (view.blocks ?? []) as ViewBlock[];
  const text = blocks
    .flatMap((b) => [
      b.text?.text ?? '',
      ...(b.type === 'context'
        ? (b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : (e.text?.text ?? '')))
        : []),
    ])
    .join('\n');
  const buttons = blocks.flatMap((b) =>
    b.type === 'actions'
      ? (b.elements ?? []).map((e) => ({
          actionId: e.action_id ?? '',
          label: typeof e.text === 'object' ? e.text.text : '',
          value: e.value ?? '',
        }))
      : [],
  );
  return { text, buttons, blocks };
}

/** Presses a button of a user's Home tab: a block_actions from the view, as Slack sends it. */
export async function pressOnHome(h: HomeTarget, actionId: string, value: string, userId = 'U0ALICE') {
  const home = h.slack.views.find((v) => v.type === 'home' && v.userId === userId);
  return h.slack.sendInteraction(eventsUrl(h), SECRETS.slackSigningSecret, {
    type: 'block_actions',
    user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: h.slack.teamId },
    container: { type: 'view', view_id: home?.id ?? 'VUNKNOWN' },
    view: home ? { ...home.view, id: home.id, hash: home.hash, type: 'home' } : undefined,
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: 'b1',
        text: { type: 'plain_text', text: 'Button' },
        value,
        action_ts: `${Math.floor(Date.now() / 1000)}.000400`,
      },
    ],
    response_url: undefined,
  });
}

/** The global shortcut Deploy… pressed. */
export function pressShortcut(h: HomeTarget, userId = 'U0ALICE', callbackId = 'deploy') {
  return h.slack.sendShortcut(eventsUrl(h), SECRETS.slackSigningSecret, { callbackId, userId });
}

/** The modal views.open opened, once it has `n` versions (1: as opened; 2: once updated …). */
export async function waitForModal(h: HomeTarget, versions = 1, nth = 1): Promise<StoredView> {
  return h.slack.waitFor(
    () => {
      const modal = h.slack.views.filter((v) => v.type === 'modal')[nth - 1];
      return modal && modal.history.length + 1 >= versions ? modal : undefined;
    },
    { timeoutMs: 10_000 },
  );
}

export function chooseInModal(
  h: HomeTarget,
  modal: StoredView,
  blockId: string,
  value: string,
  userId = 'U0ALICE',
) {
  return h.slack.sendViewSelect(eventsUrl(h), SECRETS.slackSigningSecret, {
    viewId: modal.id,
    userId,
    blockId,
    value,
  });
}

/** Submits a modal; the answer is what deploybot acknowledged with (empty: the modal closes). */
export async function submitModal(
  h: HomeTarget,
  modal: StoredView,
  inputs: Record<string, string>,
  userId = 'U0ALICE',
): Promise<{
  status: number;
  answer: { response_action?: string; errors?: Record<string, string> };
  elapsedMs: number;
}> {
  const result = await h.slack.sendViewSubmission(eventsUrl(h), SECRETS.slackSigningSecret, {
    viewId: modal.id,
    userId,
    inputs,
  });
  return {
    status: result.status,
    answer: result.body ? JSON.parse(result.body) : {},
    elapsedMs: result.elapsedMs,
  };
}

/** Messages deploybot sent a user directly (its DM with them), oldest first. */
export function directMessagesTo(h: HomeTarget, userId: string) {
  return h.slack.messages.filter((m) => m.channel === `D${userId.slice(1)}`);
}
