/** Anchor: Bolt 5 with its own HTTPReceiver, acking /deploy and doing nothing else. */
import bolt from '@slack/bolt';
import { benchSecret, printListening } from './serve.js';

const receiver = new bolt.HTTPReceiver({
  signingSecret: benchSecret('SLACK_SIGNING_SECRET'),
  endpoints: '/slack/events',
  processBeforeResponse: false,
});
// botId and botUserId given: Bolt needs no auth.test, so the anchor talks to nothing.
const app = new bolt.App({
  token: 'xoxb-bench',
  botId: 'B0BENCH',
  botUserId: 'U0BENCHBOT',
  receiver,
  tokenVerificationEnabled: false,
  logLevel: bolt.LogLevel.ERROR,
});
app.command('/deploy', async ({ ack }) => {
  await ack();
});
const server = await receiver.start(0);
printListening(server);
