/** Anchor: Probot 14 on node:http, with an app that registers a handler doing nothing. */
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { createNodeMiddleware, createProbot } from 'probot';
import { benchSecret, printListening } from './serve.js';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const probot = createProbot({
  overrides: {
    appId: 1,
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    secret: benchSecret('GITHUB_WEBHOOK_SECRET'),
    logLevel: 'warn',
  },
});
const middleware = await createNodeMiddleware(
  (app) => {
    app.on('deployment_status', async () => undefined);
  },
  { probot, webhooksPath: '/github/webhooks' },
);
const server = createServer((request, response) => {
  void middleware(request, response, () => {
    response.writeHead(404).end();
  });
});
server.listen(0, '127.0.0.1', () => printListening(server));
