/** The commands, one line each, as help and "I don't understand" show them. */
export const USAGE_LINES = [
  '`/deploy REPO[@REF] [to ENV][!]`: deploy a branch, tag or sha',
  '`/deploy where REPO`: what runs in each environment',
  '`/deploy history REPO [in ENV]`: the last deployments',
  '`/deploy lock ENV on REPO[: REASON] [for DURATION]` and `/deploy unlock ENV on REPO`',
  '`/deploy rollback REPO [in ENV]`: redeploy the last good sha',
  '`/deploy cancel REPO [in ENV]`: stop a queued or running deploy',
] as const;
