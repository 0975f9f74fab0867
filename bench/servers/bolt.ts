/**
 * Anchor: Bolt 5 acking /deploy and doing nothing else, on its own HTTPReceiver
 * (`BOLT_RECEIVER=http`) or on an ExpressReceiver (`express`, deploybot's own stack).
 */
import { createServer, type Server } from 'node:http';
import bolt from '@slack/bolt';
import { benchSecret, printListening } from './serve.js';

const options = {
  signingSecret: benchSecret('SLACK_SIGNING_SECRET'),
  endpoints: '/slack/events',
  processBeforeResponse: false,
};
const express = process.env.BOLT_RECEIVER === 'express';
const receiver = express ? new bolt.ExpressReceiver(options) : new bolt.HTTPReceiver(options);
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
let server: Server;
if (receiver instanceof bolt.ExpressReceiver) {
  server = createServer(receiver.app);
  server.listen(0, '127.0.0.1', () => printListening(server));
} else {
  server = await receiver.start(0);
  printListening(server);
}
