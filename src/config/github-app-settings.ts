import type { Report } from './env-readers.js';

/** deploybot acting as a GitHub App, as one installation when `installationId` is set. */
export interface GitHubAppSetting {
  appId: string;
  privateKey: string;
  installationId?: number;
}

const FIX_GITHUB_APP =
  'Set both GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY to use a GitHub App (App settings → About → App ID; Private keys → Generate a private key), or neither to use GITHUB_TOKEN';

/** GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID: all usable, or undefined with each problem reported. */
export function readGitHubApp(
  read: (name: string) => string | undefined,
  report: Report,
): GitHubAppSetting | undefined {
  const appId = read('GITHUB_APP_ID');
  // Keys pasted into a single-line variable usually arrive with literal "\n".
  const privateKey = read('GITHUB_APP_PRIVATE_KEY')?.replace(/\\n/g, '\n');
  const installationRaw = read('GITHUB_APP_INSTALLATION_ID');
  let ok = true;
  if (appId !== undefined && !/^(\d+|Iv[A-Za-z0-9.]+)$/.test(appId)) {
    report(
      'GITHUB_APP_ID',
      `is "${appId}", not an App ID or Client ID`,
      'Copy it from the App settings → About → App ID',
    );
    ok = false;
  }
  if (
    privateKey !== undefined &&
    !/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+-----END [A-Z ]*PRIVATE KEY-----/.test(privateKey)
  ) {
    const isPath = /\.pem$/i.test(privateKey) || privateKey.startsWith('/');
    report(
      'GITHUB_APP_PRIVATE_KEY',
      isPath ? 'looks like a file path, not a PEM private key' : 'is not a PEM private key',
      'Set it to the contents of the .pem file from App settings → Private keys (e.g. GITHUB_APP_PRIVATE_KEY="$(cat key.pem)")',
    );
    ok = false;
  }
  if ((appId === undefined) !== (privateKey === undefined)) {
    const missing = appId === undefined ? 'GITHUB_APP_ID' : 'GITHUB_APP_PRIVATE_KEY';
    const present = appId === undefined ? 'GITHUB_APP_PRIVATE_KEY' : 'GITHUB_APP_ID';
    report(missing, `is not set, but ${present} is`, FIX_GITHUB_APP);
    ok = false;
  }
  let installationId: number | undefined;
  if (installationRaw !== undefined) {
    installationId = /^\d+$/.test(installationRaw) ? Number(installationRaw) : Number.NaN;
    if (!Number.isSafeInteger(installationId) || installationId < 1) {
      report(
        'GITHUB_APP_INSTALLATION_ID',
        `is "${installationRaw}", not a positive whole number`,
        'Copy the number at the end of the installation URL (…/settings/installations/12345678), or unset it',
      );
      ok = false;
    } else if (appId === undefined && privateKey === undefined) {
      report(
        'GITHUB_APP_INSTALLATION_ID',
        'is set without GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY',
        FIX_GITHUB_APP,
      );
      ok = false;
    }
  }
  if (!ok || appId === undefined || privateKey === undefined) return undefined;
  return installationId === undefined ? { appId, privateKey } : { appId, privateKey, installationId };
}
