import type { StandInApp, StandInInstallation } from './app-registry.js';
import type { Reply } from './http-exchange.js';
import { buildUser } from './payload-basics.js';
import { DOCS, type Route, replyError, replyNotFound, type StandInCore } from './rest-kit.js';

const APPS_DOCS = `${DOCS}/apps/apps`;
const JWT_REQUIRED = 'A JSON web token could not be decoded';

function renderApp(core: StandInCore, app: StandInApp): Record<string, unknown> {
  return {
    id: app.id,
    slug: app.slug,
    node_id: Buffer.from(`03:Integration${app.id}`).toString('base64'),
    client_id: app.clientId,
    owner: buildUser(app.owner, core.apiUrl()),
    name: app.name,
    description: '',
    external_url: app.url,
    html_url: `${core.webUrl()}/apps/${app.slug}`,
    created_at: app.createdAt,
    updated_at: app.createdAt,
    permissions: { ...app.permissions },
    events: [...app.events],
    installations_count: 0,
  };
}

function renderInstallation(core: StandInCore, app: StandInApp, installation: StandInInstallation) {
  const account = buildUser(installation.account, core.apiUrl());
  return {
    id: installation.id,
    account,
    repository_selection: installation.repositories ? 'selected' : 'all',
    access_tokens_url: `${core.apiUrl()}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${core.apiUrl()}/installation/repositories`,
    html_url: `${core.webUrl()}/settings/installations/${installation.id}`,
    app_id: app.id,
    app_slug: app.slug,
    target_id: account.id,
    target_type: 'Organization',
    permissions: { ...installation.permissions },
    events: [...app.events],
    created_at: installation.createdAt,
    updated_at: installation.createdAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

/** The App the caller's JWT names; anyone else gets GitHub's 401 for App endpoints. */
function withApp(handle: (core: StandInCore, app: StandInApp, params: string[]) => Reply): Route['handle'] {
  return (core, _request, params) => {
    const caller = core.caller();
    if (caller.kind !== 'app') return replyError(401, JWT_REQUIRED, DOCS);
    return handle(core, caller.app, params);
  };
}

export const appRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/app$/,
    handle: withApp((core, app) => ({ status: 200, body: renderApp(core, app) })),
  },
  {
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/installation$/,
    handle: withApp((core, app, [owner = '', name = '']) => {
      const repository = core.findRepository(owner, name);
      const installation = repository && core.apps.installationFor(app.id, repository.fullName);
      if (!installation)
        return replyNotFound(`${APPS_DOCS}#get-a-repository-installation-for-the-authenticated-app`);
      return { status: 200, body: renderInstallation(core, app, installation) };
    }),
  },
  {
    method: 'POST',
    pattern: /^\/app\/installations\/(\d+)\/access_tokens$/,
    handle: withApp((core, app, [id = '']) => {
      const installation = core.apps.findInstallation(app.id, Number(id));
      if (!installation) return replyNotFound(`${APPS_DOCS}#create-an-installation-access-token-for-an-app`);
      const { token, expiresAt } = core.apps.issueToken(installation);
      return {
        status: 201,
        body: {
          token,
          expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          permissions: { ...installation.permissions },
          repository_selection: installation.repositories ? 'selected' : 'all',
        },
      };
    }),
  },
  {
    // The manifest flow's last step takes no credentials: the one-use code is the proof.
    method: 'POST',
    pattern: /^\/app-manifests\/([^/]+)\/conversions$/,
    handle: (core, _request, [code = '']) => {
      const app = core.apps.convertManifest(code);
      if (!app) return replyNotFound(`${APPS_DOCS}#create-a-github-app-from-a-manifest`);
      return {
        status: 201,
        body: {
          ...renderApp(core, app),
          client_secret: app.clientSecret,
          webhook_secret: app.webhookSecret,
          pem: app.privateKey,
        },
      };
    },
  },
];
