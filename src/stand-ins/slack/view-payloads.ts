import { randomBytes } from 'node:crypto';
import type { StoredView, ViewInputs } from './types.js';
import { issueTriggerId, wire } from './views.js';
import { APP_ID, TEAM_DOMAIN, VERIFICATION_TOKEN, type Workspace } from './workspace.js';

/**
 * The payloads Slack sends about views: the Home tab opened, a global shortcut, a block
 * action inside a modal, a modal submitted. Built as Slack builds them, with trigger ids
 * that open one modal within three seconds, and `view.state.values` from what the person
 * typed or chose (the view's initial values where they left a field alone).
 */

type Json = Record<string, unknown>;

/** What a person put in a view's inputs: block_id → the text typed, or the option value chosen. */

function userOf(ws: Workspace, userId: string): Json {
  const name = ws.users.get(userId)?.name ?? userId.toLowerCase();
  return { id: userId, username: name, name, team_id: ws.teamId };
}

function common(ws: Workspace, userId: string): Json {
  return {
    user: userOf(ws, userId),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    team: { id: ws.teamId, domain: TEAM_DOMAIN },
    enterprise: null,
    is_enterprise_install: false,
  };
}

function optionWith(element: Json, value: string): Json | undefined {
  const options = Array.isArray(element.options) ? (element.options as Json[]) : [];
  return options.find((o) => o.value === value);
}

/** `view.state.values` of a view after `inputs`; an unknown option value is sent as Slack would never, to fail loudly. */
export function stateOf(view: Json, inputs: ViewInputs): Record<string, Record<string, Json>> {
  const values: Record<string, Record<string, Json>> = {};
  const blocks = Array.isArray(view.blocks) ? (view.blocks as Json[]) : [];
  for (const block of blocks) {
    if (block.type !== 'input' || typeof block.block_id !== 'string') continue;
    const element = block.element as Json;
    const actionId = String(element.action_id);
    const given = inputs[block.block_id];
    if (element.type === 'static_select') {
      const selected =
        given === undefined
          ? ((element.initial_option as Json | undefined) ?? null)
          : optionWith(element, given);
      if (selected === undefined) throw new Error(`no option ${given} in block ${block.block_id}`);
      values[block.block_id] = { [actionId]: { type: 'static_select', selected_option: selected } };
    } else {
      const value = given ?? (typeof element.initial_value === 'string' ? element.initial_value : null);
      values[block.block_id] = { [actionId]: { type: String(element.type), value } };
    }
  }
  return values;
}

export function buildAppHomeOpened(userId: string): Json {
  return {
    type: 'app_home_opened',
    user: userId,
    channel: `D${userId.slice(1)}`,
    tab: 'home',
    event_ts: `${Math.floor(Date.now() / 1000)}.000100`,
  };
}

export function buildShortcut(ws: Workspace, callbackId: string, userId: string): Json {
  return {
    type: 'shortcut',
    ...common(ws, userId),
    callback_id: callbackId,
    trigger_id: issueTriggerId(ws),
    action_ts: `${Math.floor(Date.now() / 1000)}.000200`,
  };
}

function viewWithState(ws: Workspace, stored: StoredView, inputs: ViewInputs): Json {
  return { ...wire(stored, ws), state: { values: stateOf(stored.view, inputs) } };
}

/** A select changed inside a modal (an input block with dispatch_action): a block_actions from the view. */
export function buildViewSelect(
  ws: Workspace,
  stored: StoredView,
  input: {
    readonly userId: string;
    readonly blockId: string;
    readonly value: string;
    readonly inputs?: ViewInputs;
  },
): Json {
  const inputs = { ...input.inputs, [input.blockId]: input.value };
  const view = viewWithState(ws, stored, inputs);
  const block = (stored.view.blocks as Json[]).find((b) => b.block_id === input.blockId);
  const element = (block?.element ?? {}) as Json;
  const selected = optionWith(element, input.value);
  if (!block || !selected) throw new Error(`no option ${input.value} in block ${input.blockId}`);
  return {
    type: 'block_actions',
    ...common(ws, input.userId),
    container: { type: 'view', view_id: stored.id },
    trigger_id: issueTriggerId(ws),
    view,
    actions: [
      {
        type: 'static_select',
        action_id: element.action_id,
        block_id: input.blockId,
        selected_option: selected,
        action_ts: `${Math.floor(Date.now() / 1000)}.000300`,
      },
    ],
  };
}

export function buildViewSubmission(
  ws: Workspace,
  stored: StoredView,
  input: { readonly userId: string; readonly inputs: ViewInputs },
): Json {
  return {
    type: 'view_submission',
    ...common(ws, input.userId),
    trigger_id: issueTriggerId(ws),
    view: viewWithState(ws, stored, input.inputs),
    response_urls: [],
    hash: `${Date.now()}.${randomBytes(4).toString('hex')}`,
  };
}
