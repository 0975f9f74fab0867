import { timingSafeEqual } from 'node:crypto';
import { type DeploybotError, toDeploybotError } from '../core/errors.js';
import type { GitHubAppManifestPort, RegisteredGitHubApp } from '../core/ports/github-app-manifest.js';
import { type AppManifest, buildAppManifest, DEFAULT_APP_NAME } from './app-manifest.js';
import type { EnvAssignments } from './env-file.js';

export interface AppRegistrationOptions {
  /** Printed at start; the page opens only with it. */
  readonly oneTimeCode: string;
  /** Sent to GitHub with the manifest; the callback is taken only when it comes back. */
  readonly state: string;
  readonly publicUrl: string;
  readonly githubApiUrl: string;
  /** GitHub's web pages, on github.com or the GitHub Enterprise Server of GITHUB_API_URL. */
  readonly githubPages: {
    /** The "new App" page, for the user or for an organization. */
    newApp(organization: string | undefined): string;
    app(slug: string): string;
    install(slug: string): string;
  };
  readonly manifests: GitHubAppManifestPort;
  /** Writes the settings where the user said; undefined: they are shown on the page instead. */
  readonly saveSettings: ((settings: EnvAssignments) => Promise<string>) | undefined;
  /** A webhook secret, for the rare App GitHub made without one. */
  readonly newSecret: () => string;
}

export interface RegisterForm {
  readonly kind: 'register';
  /** Where the form posts the manifest: GitHub's new-App page with our `state`. */
  readonly action: string;
  readonly manifest: AppManifest;
  readonly oneTimeCode: string;
  readonly name: string;
  readonly organization: string | undefined;
  /** Why GitHub may refuse or the App may not work, e.g. a PUBLIC_URL GitHub cannot reach. */
  readonly warnings: readonly string[];
}

export type SetupPage =
  | { readonly kind: 'ask-code'; readonly wrong: boolean }
  | RegisterForm
  | { readonly kind: 'finished'; readonly app: FinishedApp };

/** The App this setup registered, and its page. */
export interface FinishedApp {
  readonly name: string;
  readonly pageUrl: string;
}

export type CallbackResult =
  | { readonly kind: 'refused' }
  | { readonly kind: 'finished'; readonly app: FinishedApp }
  | { readonly kind: 'failed'; readonly error: DeploybotError }
  | {
      readonly kind: 'registered';
      readonly app: Pick<RegisteredGitHubApp, 'id' | 'slug' | 'name' | 'owner'>;
      readonly installUrl: string;
      /** Set when the page shows them; undefined when they went to `savedTo`. */
      readonly settings: EnvAssignments | undefined;
      readonly savedTo: string | undefined;
      /** Why the settings could not be written where the user said; they are shown instead. */
      readonly saveFailure?: string;
      /** GitHub made the App without a webhook secret; deploybot made this one, to set in the App. */
      readonly webhookSecretToSet: boolean;
    };

const ORGANIZATION = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** GitHub's App manifest flow, as `npm run setup` runs it: one App, then the page closes. */
export function createAppRegistration(options: AppRegistrationOptions) {
  let registered: FinishedApp | undefined;
  let converting = false;

  const warningsFor = (publicUrl: string): string[] => {
    const host = new URL(publicUrl).hostname;
    const local = host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host.endsWith('.local');
    return local
      ? [
          `PUBLIC_URL is ${publicUrl}: GitHub cannot deliver webhooks there. Set PUBLIC_URL to the address GitHub reaches deploybot at, or change the App's webhook URL later.`,
        ]
      : [];
  };

  function page(input: { code?: string; organization?: string; name?: string }): SetupPage {
    if (registered) return { kind: 'finished', app: registered };
    if (!sameSecret(input.code, options.oneTimeCode))
      return { kind: 'ask-code', wrong: input.code !== undefined };
    const organization = input.organization?.trim() || undefined;
    const name = input.name?.trim() || DEFAULT_APP_NAME;
    const validOrganization =
      organization !== undefined && ORGANIZATION.test(organization) ? organization : undefined;
    const action = new URL(options.githubPages.newApp(validOrganization));
    action.searchParams.set('state', options.state);
    return {
      kind: 'register',
      action: action.toString(),
      manifest: buildAppManifest({ publicUrl: options.publicUrl, name }),
      oneTimeCode: options.oneTimeCode,
      name,
      organization: validOrganization,
      warnings: [
        ...warningsFor(options.publicUrl),
        ...(organization !== undefined && validOrganization === undefined
          ? [`"${organization}" is not an organization name; the App is registered on your own account.`]
          : []),
      ],
    };
  }

  async function callback(input: { code?: string; state?: string }): Promise<CallbackResult> {
    if (registered) return { kind: 'finished', app: registered };
    if (!sameSecret(input.state, options.state) || !input.code || converting) return { kind: 'refused' };
    converting = true;
    try {
      const app = await options.manifests.convert(input.code);
      const webhookSecret = app.webhookSecret ?? options.newSecret();
      const settings: Record<string, string> = {
        GITHUB_APP_ID: String(app.id),
        GITHUB_APP_PRIVATE_KEY: app.privateKey,
        GITHUB_WEBHOOK_SECRET: webhookSecret,
      };
      if (options.githubApiUrl !== 'https://api.github.com') settings.GITHUB_API_URL = options.githubApiUrl;
      // The code is spent: settings that cannot be written are shown rather than lost.
      let savedTo: string | undefined;
      let saveFailure: string | undefined;
      try {
        savedTo = options.saveSettings ? await options.saveSettings(settings) : undefined;
      } catch (error) {
        saveFailure = toDeploybotError(error).message;
      }
      registered = { name: app.name, pageUrl: options.githubPages.app(app.slug) };
      return {
        kind: 'registered',
        app: { id: app.id, slug: app.slug, name: app.name, owner: app.owner },
        // Built from GITHUB_API_URL like every link deploybot gives, not taken from GitHub's answer.
        installUrl: options.githubPages.install(app.slug),
        settings: savedTo === undefined ? settings : undefined,
        savedTo,
        ...(saveFailure === undefined ? {} : { saveFailure }),
        webhookSecretToSet: app.webhookSecret === undefined,
      };
    } catch (error) {
      return { kind: 'failed', error: toDeploybotError(error) };
    } finally {
      converting = false;
    }
  }

  return { page, callback };
}

export type AppRegistration = ReturnType<typeof createAppRegistration>;
