export interface RecordedRequest {
  method: string;
  /** Path without the query string, still percent-encoded as sent. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON, or undefined for an empty or unparsable body. */
  body: unknown;
  rawBody: string;
  /** Epoch milliseconds at arrival. */
  at: number;
  /** The status the stand-in answered with; undefined while the request is still being handled. */
  status?: number;
}

export interface WaitOptions {
  timeoutMs?: number;
  description?: string;
}

interface Waiter {
  predicate: (request: RecordedRequest) => boolean;
  resolve: (request: RecordedRequest) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const DEFAULT_TIMEOUT_MS = 5000;

function matchesSafely(predicate: (request: RecordedRequest) => boolean, request: RecordedRequest): boolean {
  // A predicate like `r => r.body.ref === 'main'` throws on bodiless requests; that is "no match".
  try {
    return predicate(request);
  } catch {
    return false;
  }
}

export function describeRequest(request: RecordedRequest): string {
  const query = new URLSearchParams(request.query).toString();
  const answer = request.status === undefined ? 'unanswered' : String(request.status);
  return `${request.method} ${request.path}${query ? `?${query}` : ''} -> ${answer}`;
}

/** Every request the stand-in saw, and the waiting on them that lets a missing call fail a test. */
export class RequestLog {
  readonly requests: RecordedRequest[] = [];
  private readonly waiters = new Set<Waiter>();

  record(request: RecordedRequest): void {
    this.requests.push(request);
  }

  /**
   * Waiters hear about a request only once it is answered, so a test that resumes can already see
   * the stand-in's state change (the stored deployment, the status) the request caused.
   */
  markAnswered(request: RecordedRequest, status: number): void {
    request.status = status;
    for (const waiter of this.waiters) {
      if (matchesSafely(waiter.predicate, request)) {
        this.waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.resolve(request);
      }
    }
  }

  waitFor(
    predicate: (request: RecordedRequest) => boolean,
    options: WaitOptions = {},
  ): Promise<RecordedRequest> {
    const seen = this.requests.find(
      (request) => request.status !== undefined && matchesSafely(predicate, request),
    );
    if (seen) return Promise.resolve(seen);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(this.explainTimeout(options.description, timeoutMs)));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  rejectAll(reason: string): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(reason));
    }
    this.waiters.clear();
  }

  private explainTimeout(description: string | undefined, timeoutMs: number): string {
    const what = description ?? 'a matching request';
    const lines = this.requests.map((request) => `  ${describeRequest(request)}`);
    const seen = lines.length > 0 ? lines.join('\n') : '  (none)';
    return `GitHub stand-in: timed out after ${timeoutMs} ms waiting for ${what}.\nRequests seen (${lines.length}):\n${seen}`;
  }
}
