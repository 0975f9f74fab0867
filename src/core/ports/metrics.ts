/**
 * What deploybot tells its metrics, as domain facts. Label values stay few: repositories and
 * environments of deploybot.yml, event names, error codes, route templates; never raw URLs.
 * Recording never throws and never waits.
 */

export interface DeployEnded {
  readonly repository: string;
  readonly environment: string;
  readonly state: 'success' | 'failure' | 'error';
  /** From start to end; undefined for a deploy that never ran (refused, cancelled while waiting). */
  readonly durationMs: number | undefined;
}

export interface DeployMetrics {
  deployEnded(ended: DeployEnded): void;
}

/** handled: done; retried: failed, tried again later; failed: given up; ignored, duplicate, rejected at receipt. */
export type WebhookOutcome = 'handled' | 'retried' | 'failed' | 'ignored' | 'duplicate' | 'rejected';

export interface WebhookMetrics {
  /** `lagMs`: from receipt to handled or given up; absent when the delivery was not handled. */
  webhookDelivery(event: string, outcome: WebhookOutcome, lagMs?: number): void;
}

export type ApiService = 'github' | 'slack';

export interface ApiCall {
  readonly service: ApiService;
  /** GitHub: `GET /repos/{owner}/{repo}/deployments`; Slack: `chat.postMessage`. */
  readonly method: string;
  /** 'ok', else a bounded name of what went wrong: an HTTP status or an error code. */
  readonly outcome: string;
  /** This call repeats an earlier attempt. */
  readonly retry: boolean;
}

export interface ApiMetrics {
  apiCall(call: ApiCall): void;
  /**
   * The service answered 429 (or GitHub's other limits). `retried`: its client waits and tries
   * again out of sight (Slack's); GitHub's attempts are each counted by apiCall instead.
   */
  rateLimited(service: ApiService, method: string, retried: boolean): void;
}

export interface MetricsPort extends DeployMetrics, WebhookMetrics, ApiMetrics {}
