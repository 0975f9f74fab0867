/** Anchor: the bare @octokit/webhooks middleware on node:http, with a handler that does nothing. */
import { createServer } from 'node:http';
import { createNodeMiddleware, Webhooks } from '@octokit/webhooks';
import { benchSecret, printListening } from './serve.js';

const webhooks = new Webhooks({ secret: benchSecret('GITHUB_WEBHOOK_SECRET') });
webhooks.on('deployment_status', () => undefined);
const middleware = createNodeMiddleware(webhooks, { path: '/github/webhooks' });
const server = createServer((request, response) => {
  void middleware(request, response);
});
server.listen(0, '127.0.0.1', () => printListening(server));
