/**
 * The same requests for every server: signed deployment_status webhooks (a real payload from
 * @octokit/webhooks-examples), each with its own delivery, deployment and status id, and
 * signed `/deploy` slash commands.
 */
import { createHmac } from 'node:crypto';
import { buildDeploymentStatusPayload } from '../src/stand-ins/github-payloads.js';

export interface BenchRequest {
  readonly method: 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

// Stand-ins in the template, replaced per request: no other number in the payload looks like them.
const DEPLOYMENT_MARK = '7770000001';
const STATUS_MARK = '8880000001';

/**
 * A factory of webhooks, each new: ids count up from `start`, so runs never collide; delivery ids
 * come from `deliveryGuid` (delivery-guids.ts).
 */
export function webhookRequests(
  secret: string,
  start: number,
  deliveryGuid: () => string,
): () => BenchRequest {
  const template = JSON.stringify(
    buildDeploymentStatusPayload({
      repo: 'octo-org/web',
      deployment: { id: Number(DEPLOYMENT_MARK), ref: 'main', environment: 'production', creator: 'octocat' },
      status: { id: Number(STATUS_MARK), state: 'success' },
    }),
  );
  const byDeployment = template.split(DEPLOYMENT_MARK);
  let n = start;
  return () => {
    n += 1;
    const body = byDeployment.map((part) => part.split(STATUS_MARK).join(String(n))).join(String(n));
    return {
      method: 'POST',
      path: '/github/webhooks',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'deployment_status',
        'x-github-delivery': deliveryGuid(),
        'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
        'user-agent': 'GitHub-Hookshot/bench',
      },
      body,
    };
  };
}

/** A factory of signed `/deploy <text>` slash commands, each with a fresh timestamp and trigger. */
export function slashRequests(secret: string, text: string, responseUrl: () => string): () => BenchRequest {
  let n = 0;
  return () => {
    n += 1;
    const body = new URLSearchParams({
      token: 'bench-verification-token',
      team_id: 'T0BENCH',
      team_domain: 'bench',
      channel_id: 'C0WEB',
      channel_name: 'web',
      user_id: 'U0ALICE',
      user_name: 'alice',
      command: '/deploy',
      text,
      api_app_id: 'A0BENCH',
      is_enterprise_install: 'false',
      response_url: responseUrl(),
      trigger_id: `${n}.${n}.bench`,
    }).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
    return {
      method: 'POST',
      path: '/slack/events',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': `v0=${signature}`,
      },
      body,
    };
  };
}
