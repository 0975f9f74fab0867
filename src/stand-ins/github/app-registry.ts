import { createPublicKey, createVerify, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { deriveId } from './payload-basics.js';

export type Permissions = Record<string, string>;

/** What deploybot's App needs; the default of every App and installation the stand-in makes. */
export const DEPLOYBOT_APP_PERMISSIONS: Permissions = {
  deployments: 'write',
  contents: 'read',
  statuses: 'read',
  checks: 'read',
  metadata: 'read',
  pull_requests: 'read',
};

export interface StandInApp {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** PKCS#1 PEM, as GitHub's "Generate a private key" gives it. */
  readonly privateKey: string;
  readonly webhookSecret: string | null;
  /** The account that registered the App. */
  readonly owner: string;
  permissions: Permissions;
  events: string[];
  readonly hookUrl: string | undefined;
  readonly redirectUrl: string | undefined;
  readonly url: string;
  readonly createdAt: string;
}

export interface StandInInstallation {
  readonly id: number;
  readonly appId: number;
  readonly account: string;
  /** Full names, for `selected`; undefined: every repository of the account. */
  readonly repositories: readonly string[] | undefined;
  permissions: Permissions;
  readonly createdAt: string;
}

interface IssuedToken {
  readonly installation: StandInInstallation;
  readonly expiresAt: number;
}

export interface CreateAppInput {
  slug?: string;
  name?: string;
  owner?: string;
  permissions?: Permissions;
  events?: string[];
  hookUrl?: string;
  redirectUrl?: string;
  url?: string;
  /** A webhook secret; a random one when omitted, none when null. */
  webhookSecret?: string | null;
}

export interface InstallAppInput {
  /** Full names; omitted: every repository of the account ("All repositories"). */
  repositories?: string[];
  /** Defaults to the App's permissions. */
  permissions?: Permissions;
}

export type JwtCheck = { ok: true; app: StandInApp } | { ok: false; message: string };

const JWT_UNDECODABLE = 'A JSON web token could not be decoded';
const EXPIRY_MESSAGE =
  "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
const ISSUED_AT_MESSAGE =
  "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function looksLikeJwt(credential: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(credential);
}

/** GitHub Apps, their installations and installation tokens, as github.com keeps them. */
export class AppRegistry {
  private readonly apps: StandInApp[] = [];
  private readonly publicKeys = new Map<number, KeyObject>();
  private readonly installations: StandInInstallation[] = [];
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly manifests = new Map<string, { input: CreateAppInput; expiresAt: number }>();
  private nextInstallationId = 40_000_001;

  constructor(
    private readonly tokenLifetimeMs: number,
    /** The clock of token expiry; JWTs are checked against the real time, as auth-app signs them so. */
    private readonly now: () => number,
  ) {}

  createApp(input: CreateAppInput = {}): StandInApp {
    const slug = input.slug ?? 'deploybot';
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const id = deriveId(`app:${slug}:${this.apps.length}`) % 10_000_000;
    const app: StandInApp = {
      id,
      slug,
      name: input.name ?? slug,
      clientId: `Iv23li${randomBytes(7).toString('hex')}`,
      clientSecret: randomBytes(20).toString('hex'),
      privateKey,
      webhookSecret:
        input.webhookSecret === undefined ? randomBytes(20).toString('hex') : input.webhookSecret,
      owner: input.owner ?? 'octocat',
      permissions: { ...(input.permissions ?? DEPLOYBOT_APP_PERMISSIONS) },
      events: [...(input.events ?? [])],
      hookUrl: input.hookUrl,
      redirectUrl: input.redirectUrl,
      url: input.url ?? `https://github.com/apps/${slug}`,
      createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    this.apps.push(app);
    this.publicKeys.set(app.id, createPublicKey(publicKey));
    return app;
  }

  /** What GitHub keeps when someone clicks "Create GitHub App" on a manifest: a one-hour, one-use code. */
  registerManifest(input: CreateAppInput): string {
    const code = randomBytes(10).toString('hex');
    this.manifests.set(code, { input, expiresAt: Date.now() + 3_600_000 });
    return code;
  }

  /** The App a manifest code turns into; undefined for an unknown, spent or expired code. */
  convertManifest(code: string): StandInApp | undefined {
    const pending = this.manifests.get(code);
    this.manifests.delete(code);
    if (!pending || pending.expiresAt <= Date.now()) return undefined;
    return this.createApp(pending.input);
  }

  listApps(): StandInApp[] {
    return [...this.apps];
  }

  install(appId: number, account: string, input: InstallAppInput = {}): StandInInstallation {
    const app = this.requireApp(appId);
    const installation: StandInInstallation = {
      id: this.nextInstallationId++,
      appId,
      account,
      repositories: input.repositories,
      permissions: { ...(input.permissions ?? app.permissions) },
      createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    this.installations.push(installation);
    return installation;
  }

  uninstall(installationId: number): void {
    const index = this.installations.findIndex((installation) => installation.id === installationId);
    if (index >= 0) this.installations.splice(index, 1);
    for (const [token, issued] of this.tokens) {
      if (issued.installation.id === installationId) this.tokens.delete(token);
    }
  }

  requireApp(appId: number): StandInApp {
    const app = this.apps.find((candidate) => candidate.id === appId);
    if (!app) throw new Error(`GitHub stand-in: no App ${appId}; call createApp() first`);
    return app;
  }

  findInstallation(appId: number, installationId: number): StandInInstallation | undefined {
    return this.installations.find((i) => i.appId === appId && i.id === installationId);
  }

  /** The installation of `appId` that covers `fullName`, as GET /repos/{o}/{r}/installation finds it. */
  installationFor(appId: number, fullName: string): StandInInstallation | undefined {
    return this.installations.find((i) => i.appId === appId && covers(i, fullName));
  }

  issueToken(installation: StandInInstallation): { token: string; expiresAt: number } {
    const token = `ghs_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x').slice(0, 36)}`;
    const expiresAt = this.now() + this.tokenLifetimeMs;
    this.tokens.set(token, { installation, expiresAt });
    return { token, expiresAt };
  }

  /** The installation a token belongs to: live, expired, or unknown to GitHub. */
  lookUpToken(token: string): { installation: StandInInstallation; expired: boolean } | undefined {
    const issued = this.tokens.get(token);
    if (!issued) return undefined;
    return { installation: issued.installation, expired: issued.expiresAt <= this.now() };
  }

  /** Verifies an App's JWT as GitHub does: RS256 by the App's key, `iss` its ID or Client ID, live. */
  verifyJwt(jwt: string): JwtCheck {
    const [headerPart = '', payloadPart = '', signature = ''] = jwt.split('.');
    const header = decodePart(headerPart);
    const claims = decodePart(payloadPart);
    if (header?.alg !== 'RS256' || !claims) return { ok: false, message: JWT_UNDECODABLE };
    const app =
      this.apps.find((candidate) => String(candidate.id) === String(claims.iss)) ??
      this.apps.find((candidate) => candidate.clientId === claims.iss);
    const key = app && this.publicKeys.get(app.id);
    if (!app || !key) return { ok: false, message: JWT_UNDECODABLE };
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${headerPart}.${payloadPart}`);
    if (!verifier.verify(key, Buffer.from(signature, 'base64url')))
      return { ok: false, message: JWT_UNDECODABLE };
    const now = Math.floor(Date.now() / 1000);
    const { iat, exp } = claims;
    if (typeof iat !== 'number' || !Number.isInteger(iat) || iat > now + 60)
      return { ok: false, message: ISSUED_AT_MESSAGE };
    // GitHub takes JWTs that expire within ten minutes, and not ones that already have.
    if (typeof exp !== 'number' || exp <= now || exp > now + 600 + 60 || exp - iat > 660) {
      return { ok: false, message: EXPIRY_MESSAGE };
    }
    return { ok: true, app };
  }
}

export function covers(installation: StandInInstallation, fullName: string): boolean {
  const lower = fullName.toLowerCase();
  if (installation.repositories)
    return installation.repositories.some((name) => name.toLowerCase() === lower);
  return lower.startsWith(`${installation.account.toLowerCase()}/`);
}
