/** Anchor: Bolt 5 on its ExpressReceiver (deploybot's own stack), acking /deploy and doing nothing else. */
import { createServer } from 'node:http';
import bolt from '@slack/bolt';
import { benchSecret, printListening } from './serve.js';

const receiver = new bolt.ExpressReceiver({
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
const server = createServer(receiver.app);
server.listen(0, '127.0.0.1', () => printListening(server));
