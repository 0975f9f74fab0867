import type { LogReaderAdmission } from '../deploys/admit-log-reader.js';

type Refusal = Extract<LogReaderAdmission, { admitted: false }>['reason'] | 'stale' | 'cancelled';

const TEXT: Record<Refusal, string> = {
  stale: 'This sign-in link is out of date or was not started here. Open the deploy log link again.',
  cancelled: 'Sign in with Slack was cancelled. Open the deploy log link again to sign in.',
  invalid: 'Slack did not confirm who you are. Open the deploy log link again to sign in.',
  outsider: 'Deploy logs are only for members of this Slack workspace; you signed in from another one.',
  guest: 'Deploy logs are only for full members of this Slack workspace, not guests.',
};

/** The page after a sign-in deploybot did not accept; it names no user and no token. */
export function renderSignInRefusedPage(reason: Refusal): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Not signed in · deploybot</title></head>
<body><p>${TEXT[reason]}</p></body></html>
`;
}
