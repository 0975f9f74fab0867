import { randomBytes, randomInt } from 'node:crypto';
import { checkView } from './block-kit-limits.js';
import type { ApiArgs, ApiResponse, StoredView } from './types.js';

export type { StoredView } from './types.js';

import type { Workspace } from './workspace.js';

/** A view Slack holds: a user's Home tab, or a modal someone has open. */

interface ViewState {
  readonly views: Map<string, StoredView>;
  /** trigger_id → when it was handed out (ms); each may open one modal, within 3 seconds. */
  readonly triggers: Map<string, number>;
}

const TRIGGER_TTL_MS = 3_000;
const states = new WeakMap<Workspace, ViewState>();

export function viewStateOf(ws: Workspace): ViewState {
  let state = states.get(ws);
  if (!state) {
    state = { views: new Map(), triggers: new Map() };
    states.set(ws, state);
  }
  return state;
}

/** A trigger_id as Slack sends with slash commands, shortcuts and button presses; it opens one modal. */
export function issueTriggerId(ws: Workspace, now = Date.now()): string {
  const id = `${randomInt(1e9, 1e10)}.${randomInt(1e9, 1e10)}.${randomBytes(16).toString('hex')}`;
  viewStateOf(ws).triggers.set(id, now);
  return id;
}

const fail = (error: string, messages?: string[]): ApiResponse =>
  messages
    ? { ok: false, error, response_metadata: { messages: messages.map((m) => `[ERROR] ${m}`) } }
    : { ok: false, error };

function readView(args: ApiArgs): Record<string, unknown> | undefined {
  const view = args.view;
  return typeof view === 'object' && view !== null && !Array.isArray(view)
    ? (view as Record<string, unknown>)
    : undefined;
}

function store(
  state: ViewState,
  type: 'home' | 'modal',
  userId: string | undefined,
  view: Record<string, unknown>,
): StoredView {
  const stored: StoredView = {
    id: `V${randomBytes(5).toString('hex').toUpperCase()}`,
    type,
    userId,
    view,
    hash: `${Date.now()}.${randomBytes(4).toString('hex')}`,
    history: [],
  };
  state.views.set(stored.id, stored);
  return stored;
}

export function wire(stored: StoredView, ws: Workspace): Record<string, unknown> {
  return { ...stored.view, id: stored.id, team_id: ws.teamId, hash: stored.hash, app_id: 'A0DEPLOYBOT' };
}

function replace(stored: StoredView, view: Record<string, unknown>): void {
  stored.history.push(stored.view);
  stored.view = view;
  stored.hash = `${Date.now()}.${randomBytes(4).toString('hex')}`;
}

export const viewHandlers: Record<string, (ws: Workspace, args: ApiArgs) => ApiResponse> = {
  'views.publish': (ws, args) => {
    const userId = typeof args.user_id === 'string' ? args.user_id : undefined;
    if (!userId) return fail('invalid_arguments', ['missing required field: user_id']);
    if (!ws.users.has(userId)) return fail('user_not_found');
    const view = readView(args);
    const errors = checkView(view, 'home');
    if (errors.length > 0 || !view) return fail('invalid_arguments', errors);
    const state = viewStateOf(ws);
    const existing = [...state.views.values()].find((v) => v.type === 'home' && v.userId === userId);
    if (existing && typeof args.hash === 'string' && args.hash !== existing.hash)
      return fail('hash_conflict');
    const stored = existing ?? store(state, 'home', userId, view);
    if (existing) replace(existing, view);
    return { ok: true, view: wire(stored, ws) };
  },

  'views.open': (ws, args) => {
    const trigger = typeof args.trigger_id === 'string' ? args.trigger_id : undefined;
    if (!trigger) return fail('invalid_arguments', ['missing required field: trigger_id']);
    const state = viewStateOf(ws);
    const issued = state.triggers.get(trigger);
    if (issued === undefined) return fail('invalid_trigger_id');
    state.triggers.delete(trigger);
    if (Date.now() - issued > TRIGGER_TTL_MS) return fail('expired_trigger_id');
    const view = readView(args);
    const errors = checkView(view, 'modal');
    if (errors.length > 0 || !view) return fail('invalid_arguments', errors);
    return { ok: true, view: wire(store(state, 'modal', undefined, view), ws) };
  },

  'views.update': (ws, args) => {
    const id = typeof args.view_id === 'string' ? args.view_id : undefined;
    const externalId = typeof args.external_id === 'string' ? args.external_id : undefined;
    if (!id && !externalId) return fail('invalid_arguments', ['must provide view_id or external_id']);
    const state = viewStateOf(ws);
    const stored = id
      ? state.views.get(id)
      : [...state.views.values()].find((v) => v.view.external_id === externalId);
    if (!stored) return fail('not_found');
    if (typeof args.hash === 'string' && args.hash !== stored.hash) return fail('hash_conflict');
    const view = readView(args);
    const errors = checkView(view, stored.type);
    if (errors.length > 0 || !view) return fail('invalid_arguments', errors);
    replace(stored, view);
    return { ok: true, view: wire(stored, ws) };
  },
};
