/**
 * Sign in with Slack (OpenID Connect) as the log pages need it; src/bot/ implements it over
 * Slack's Web API. Only an unreachable Slack fails; a code Slack refuses comes back undefined.
 */
export interface SlackSignInPort {
  /**
   * Exchanges an authorization code (`openid.connect.token`) for the claims of the ID token
   * Slack returned, unverified: the caller checks iss, aud, exp and nonce.
   */
  exchangeCode(code: string, redirectUri: string): Promise<SignInClaims | undefined>;
}

/** The ID token's payload, as Slack sent it. */
export type SignInClaims = Readonly<Record<string, unknown>>;
