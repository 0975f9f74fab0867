/** What GitHub gives back for a manifest it turned into an App: the App and its credentials. */
export interface RegisteredGitHubApp {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
  readonly owner: string;
  /** PEM. A secret: shown to the person registering the App or written where they say, never logged. */
  readonly privateKey: string;
  /** A secret too; GitHub makes one for an App with a webhook. */
  readonly webhookSecret: string | undefined;
}

/** The last step of GitHub's manifest flow: the one-use code GitHub redirected back with, for the App. */
export interface GitHubAppManifestPort {
  convert(code: string): Promise<RegisteredGitHubApp>;
}
