import { randomBytes } from 'node:crypto';
import type { SetupSettings } from '../config/settings.js';
import { createAppManifestConversion } from '../github/app-manifest-conversion.js';
import { githubAppUrl, githubInstallUrl, githubNewAppUrl, githubWebUrlFromApi } from '../github/urls.js';
import { listenHttp } from '../http/listen-http.js';
import { createHttpApp, finishHttpApp } from '../http/server.js';
import type { Logger } from '../logger.js';
import { writeEnvFile } from './env-file.js';
import { createAppRegistration } from './register-app.js';
import { createSetupRouter } from './setup-router.js';

export interface SetupOptions {
  readonly settings: SetupSettings;
  /** An env file to write the App's settings to; undefined shows them on the page. */
  readonly envFile: string | undefined;
  readonly fetch: typeof globalThis.fetch;
  readonly logger: Logger;
}

export interface RunningSetup {
  /** Where to open the page, one-time code included: PUBLIC_URL/setup/github?code=… */
  readonly pageUrl: string;
  readonly oneTimeCode: string;
  /** The port it listens on (PORT, or the one picked for 0). */
  readonly port: number;
  stop(): Promise<void>;
}

/** `npm run setup`: only the setup page on PORT, nothing else of deploybot. */
export async function startSetup(options: SetupOptions): Promise<RunningSetup> {
  const { settings, logger } = options;
  const githubWebUrl = githubWebUrlFromApi(settings.github.apiUrl);
  const oneTimeCode = randomBytes(9).toString('base64url');
  const registration = createAppRegistration({
    oneTimeCode,
    state: randomBytes(24).toString('base64url'),
    publicUrl: settings.publicUrl,
    githubApiUrl: settings.github.apiUrl,
    githubPages: {
      newApp: (organization) => githubNewAppUrl(githubWebUrl, organization),
      app: (slug) => githubAppUrl(githubWebUrl, slug),
      install: (slug) => githubInstallUrl(githubWebUrl, slug),
    },
    manifests: createAppManifestConversion({
      baseUrl: settings.github.apiUrl,
      fetch: options.fetch,
      userAgent: 'deploybot',
    }),
    saveSettings:
      options.envFile === undefined
        ? undefined
        : async (values) => {
            await writeEnvFile(options.envFile as string, values);
            return options.envFile as string;
          },
    newSecret: () => randomBytes(32).toString('hex'),
  });
  const http = createHttpApp({ health: async () => undefined, logger });
  http.use('/setup', createSetupRouter({ registration, githubWebUrl, logger }));
  finishHttpApp(http, logger);
  const server = await listenHttp(settings.port, http);
  return {
    pageUrl: `${settings.publicUrl}/setup/github?code=${oneTimeCode}`,
    oneTimeCode,
    port: server.port,
    stop: server.close,
  };
}
