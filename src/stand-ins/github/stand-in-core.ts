import type { DeploymentStore } from './deployment-store.js';
import type { FrontDoor } from './front-door.js';
import type { RateLimiter } from './http-exchange.js';
import type { OpenApiValidators } from './openapi-validators.js';
import type { RepositoryBook } from './repository-book.js';
import type { StandInCore } from './rest-kit.js';
import type { WebhookOutbox } from './webhook-outbox.js';

export interface StandInCoreParts {
  readonly apiUrl: () => string;
  readonly webUrl: () => string;
  /** Who creates what a token (not an installation) creates. */
  readonly login: string;
  readonly door: FrontDoor;
  readonly book: RepositoryBook;
  readonly store: DeploymentStore;
  readonly validators: OpenApiValidators;
  readonly recordSchemaError: (message: string) => void;
  readonly rateLimiter: RateLimiter;
  readonly outbox: WebhookOutbox;
}

/** What the routes see of the stand-in: its state, who calls, and where webhooks go. */
export function createStandInCore(parts: StandInCoreParts): StandInCore {
  const { door, book, outbox, rateLimiter } = parts;
  const caller = () => door.caller();
  return {
    apiUrl: parts.apiUrl,
    webUrl: parts.webUrl,
    // What an installation token creates is GitHub's App bot's.
    get login() {
      const current = caller();
      return current.kind === 'installation' ? `${current.app.slug}[bot]` : parts.login;
    },
    caller,
    apps: door.apps,
    findRepository: (owner, name) => book.find(`${owner}/${name}`),
    store: parts.store,
    validators: parts.validators,
    recordSchemaError: parts.recordSchemaError,
    describeRateLimit: () => rateLimiter.describe(),
    announceDeployment: (repository, deployment) => outbox.announceDeployment(repository, deployment),
    announceStatus: (repository, deployment, status) => outbox.announceStatus(repository, deployment, status),
  };
}
