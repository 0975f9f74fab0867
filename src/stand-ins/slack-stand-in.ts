import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { REQUIRED_SLACK_SCOPES } from '../core/slack-scopes.js';
import { bearerToken, sendJson, summarizeCall, summarizeResponse } from './slack/exchange.js';
import { createFaultQueue } from './slack/fault-queue.js';
import { createOpenIdProvider } from './slack/openid.js';
import { parseApiArgs, parseResponseUrlBody, readRawBody } from './slack/request-body.js';
import {
  buildEventCallback,
  buildInteractionPayload,
  buildSlashCommandFields,
  completeEvent,
  sendSignedRequest,
} from './slack/signed-requests.js';
import { attachSocketLink } from './slack/socket-link.js';
import type {
  ApiArgs,
  ApiCall,
  ApiResponse,
  ResponseUrlPost,
  SlackMessage,
  SlackStandIn,
  SlackStandInOptions,
} from './slack/types.js';
import {
  buildAppHomeOpened,
  buildShortcut,
  buildViewSelect,
  buildViewSubmission,
} from './slack/view-payloads.js';
import { type StoredView, viewStateOf } from './slack/views.js';
import { createRecorder, pollUntil } from './slack/waiters.js';
import { invokeWebApi } from './slack/web-api.js';
import { createWorkspace } from './slack/workspace.js';

export { signSlackRequest } from './slack/signed-requests.js';
export type * from './slack/types.js';

// Those manifest.yml asks for (what `deploybot check` wants), advertised as Slack does;
// WebClient copies them into response_metadata.scopes.
const BOT_SCOPES = REQUIRED_SLACK_SCOPES;

/** Starts a Slack Web API + Socket Mode stand-in on 127.0.0.1 with an ephemeral port. */
export async function startSlackStandIn(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
  const ws = createWorkspace(options);
  const faults = createFaultQueue();
  const calls = createRecorder<ApiCall>(summarizeCall);
  const responses = createRecorder<ResponseUrlPost>(summarizeResponse);
  let baseUrl = '';
  const openId = createOpenIdProvider(ws, {
    clientId: options.clientId ?? '1111.2222',
    clientSecret: options.clientSecret ?? 'stand-in-client-secret',
    issuer: () => baseUrl,
  });

  const freshResponseUrl = (): string => `${baseUrl}/response/${randomBytes(8).toString('hex')}`;

  async function answerApiCall(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    url: URL,
  ): Promise<void> {
    const at = Date.now();
    let args: ApiArgs;
    try {
      const parsed = await parseApiArgs(await readRawBody(req), req.headers['content-type']);
      args = { ...Object.fromEntries(url.searchParams), ...parsed };
    } catch {
      const response: ApiResponse = { ok: false, error: 'invalid_form_data' };
      calls.record({ method, args: {}, token: bearerToken(req), at, status: 200, response });
      sendJson(res, 200, response);
      return;
    }
    const token = bearerToken(req) ?? (typeof args.token === 'string' ? args.token : undefined);
    delete args.token;
    // A credential like the token: checked, never recorded (the secret scan reads the calls).
    const clientSecret = args.client_secret;
    delete args.client_secret;

    const fault = faults.take(method);
    let status = 200;
    let response: ApiResponse;
    const headers: Record<string, string> = {};
    if (fault?.kind === 'ratelimited') {
      status = 429;
      headers['retry-after'] = String(fault.retryAfterSeconds);
      response = { ok: false, error: 'ratelimited' };
    } else if (fault?.kind === 'error') {
      response = { ok: false, error: fault.error };
    } else {
      response =
        openId.answer(method, { ...args, client_secret: clientSecret }, token) ??
        invokeWebApi(ws, method, args, token, {
          socketUrl: () => `${baseUrl.replace(/^http/, 'ws')}/link?ticket=${ws.issueTicket()}`,
        });
    }
    if (token === ws.botToken) headers['x-oauth-scopes'] = (options.scopes ?? BOT_SCOPES).join(',');
    // Answered late but recorded now, so waitForCall sees the call when Slack would have acted on it.
    calls.record({ method, args, token, at, status, response });
    if (options.latencyMs) await sleep(options.latencyMs);
    sendJson(res, status, response, headers);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    if (url.pathname.startsWith('/api/')) {
      await answerApiCall(req, res, url.pathname.slice('/api/'.length), url);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/openid/connect/authorize') {
      const answer = openId.authorize(url);
      res.writeHead(answer.status, {
        'content-type': 'text/plain; charset=utf-8',
        ...(answer.location === undefined ? {} : { location: answer.location }),
      });
      res.end(answer.body ?? '');
      return;
    }
    if (req.method === 'POST' && url.pathname.startsWith('/response/')) {
      const body = parseResponseUrlBody(await readRawBody(req), req.headers['content-type']);
      responses.record({ url: `${baseUrl}${url.pathname}`, body });
      sendJson(res, 200, { ok: true });
      return;
    }
    sendJson(res, 404, { ok: false, error: 'not_found' });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal_error', detail: String(error) });
    });
  });
  const link = attachSocketLink(server, ws);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function viewNamed(id: string): StoredView {
    const stored = viewStateOf(ws).views.get(id);
    if (!stored) throw new Error(`the Slack stand-in holds no view ${id}`);
    return stored;
  }
  /** Interactivity payloads come form-encoded in a `payload` field, signed. */
  function sendPayload(url: string, signingSecret: string, payload: object) {
    const form = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return sendSignedRequest(url, signingSecret, form, 'application/x-www-form-urlencoded');
  }

  const isTopLevel = (m: SlackMessage) => m.thread_ts === undefined || m.thread_ts === m.ts;

  const standIn: SlackStandIn = {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    botToken: ws.botToken,
    appToken: ws.appToken,
    botUserId: ws.botUserId,
    teamId: ws.teamId,
    get calls() {
      return calls.items;
    },
    get messages() {
      return ws.messages;
    },
    messagesIn: (channel) => ws.messages.filter((m) => m.channel === channel && isTopLevel(m)),
    threadOf: (channel, ts) =>
      ws.messages.filter((m) => m.channel === channel && m.thread_ts === ts && m.ts !== ts),
    get ephemerals() {
      return ws.ephemerals;
    },
    get responses() {
      return responses.items;
    },
    responseUrl: freshResponseUrl,
    seedMessage(input) {
      const channel = ws.resolveChannel(input.channel);
      if (!channel) throw new Error(`seedMessage: unknown channel ${input.channel}`);
      const ts = input.ts ?? ws.nextTs();
      if (ws.findMessage(channel, ts)) throw new Error(`seedMessage: ${channel}/${ts} already exists`);
      return ws.addMessage({
        channel,
        ts,
        text: input.text,
        blocks: undefined,
        thread_ts: input.thread_ts,
        user: input.user ?? ws.defaultUserId,
      });
    },
    get views() {
      return [...viewStateOf(ws).views.values()];
    },
    clientId: openId.clientId,
    signInAs: (userId, claims) => openId.signInAs(userId, claims),
    get authorizeRequests() {
      return openId.authorizeRequests;
    },
    ageTriggers(ms) {
      const { triggers } = viewStateOf(ws);
      for (const [id, issued] of triggers) triggers.set(id, issued - ms);
    },
    setUserGroup(id, userIds) {
      ws.userGroups.set(id, [...userIds]);
    },
    setUser(user) {
      ws.users.set(user.id, { ...user });
    },
    rateLimit(method, opts) {
      faults.rateLimit(method, opts.times, opts.retryAfterSeconds);
    },
    failNext(method, error, times = 1) {
      faults.failNext(method, error, times);
    },
    reset() {
      calls.clear();
      responses.clear();
      ws.reset();
      faults.clear();
    },
    waitForCall(method, predicate, opts) {
      const matches = (call: ApiCall) => call.method === method && (predicate?.(call) ?? true);
      return calls.waitFor(matches, `a ${method} call${predicate ? ' matching the predicate' : ''}`, opts);
    },
    waitForResponse(predicate, opts) {
      return responses.waitFor(predicate ?? (() => true), 'a response_url post', opts);
    },
    waitFor: (check, opts) => pollUntil(check, opts),
    slashCommandPayload: (cmd) => buildSlashCommandFields(ws, cmd, freshResponseUrl),
    sendSlashCommand(appEventsUrl, signingSecret, cmd, opts) {
      const form = new URLSearchParams(buildSlashCommandFields(ws, cmd, freshResponseUrl)).toString();
      return sendSignedRequest(appEventsUrl, signingSecret, form, 'application/x-www-form-urlencoded', opts);
    },
    sendEvent(appEventsUrl, signingSecret, event, opts) {
      const body = JSON.stringify(buildEventCallback(ws, event, opts?.eventId));
      return sendSignedRequest(appEventsUrl, signingSecret, body, 'application/json', opts);
    },
    sendInteraction(appEventsUrl, signingSecret, payload, opts) {
      const json = JSON.stringify(buildInteractionPayload(ws, payload, freshResponseUrl));
      const form = new URLSearchParams({ payload: json }).toString();
      return sendSignedRequest(appEventsUrl, signingSecret, form, 'application/x-www-form-urlencoded', opts);
    },
    sendAppHomeOpened(appEventsUrl, signingSecret, userId) {
      const body = JSON.stringify(buildEventCallback(ws, buildAppHomeOpened(userId)));
      return sendSignedRequest(appEventsUrl, signingSecret, body, 'application/json');
    },
    sendShortcut(appEventsUrl, signingSecret, input) {
      return sendPayload(appEventsUrl, signingSecret, buildShortcut(ws, input.callbackId, input.userId));
    },
    async sendViewSelect(appEventsUrl, signingSecret, input) {
      return sendPayload(appEventsUrl, signingSecret, buildViewSelect(ws, viewNamed(input.viewId), input));
    },
    async sendViewSubmission(appEventsUrl, signingSecret, input) {
      return sendPayload(
        appEventsUrl,
        signingSecret,
        buildViewSubmission(ws, viewNamed(input.viewId), input),
      );
    },
    get socketConnections() {
      return link.connections;
    },
    waitForSocket: (opts) => link.waitForConnection(opts),
    sendSocketEnvelope(type, payload) {
      if (type !== 'events_api') return link.sendEnvelope(type, payload);
      // A bare event gets the same event_callback wrapper Slack puts around it over HTTP.
      const callback =
        'event' in payload && typeof payload.event === 'object' && payload.event !== null
          ? { ...payload, event: completeEvent(ws, payload.event) }
          : buildEventCallback(ws, payload);
      return link.sendEnvelope(type, callback);
    },
    async close() {
      calls.rejectPending('Slack stand-in closed while a call was awaited');
      responses.rejectPending('Slack stand-in closed while a response_url post was awaited');
      await link.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
  return standIn;
}
