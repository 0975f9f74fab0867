/** A config exercising every chat feature: aliases, confirmation, deployers, admins, approvals. */
export const CHAT_CONFIG = `
slack: { channel: C0DEPLOYS }
github: { owner: octo-org }
users: { U0ALICE: alice-gh }
repos:
  octo-org/web:
    channel: C0WEB
    aliases: [website]
    environments:
      staging:
        aliases: [stg]
        deploy_on_merge: main
      production:
        aliases: [prod]
        required_contexts: [ci/build]
        deployers: [U0ALICE, U0BOB, S0DEPLOYERS]
        admins: [U0ADMIN]
      qa:
        confirm: false
        approvals: 1
        deployers: [U0ALICE, U0BOB]
  octo-org/api:
    environments:
      production:
        confirm: false
`;
