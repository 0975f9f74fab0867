import { readFile } from 'node:fs/promises';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { GitHubDesk, GitHubView } from './github-desk.js';
import { PlaygroundInputError } from './playground-input-error.js';
import type { DeskItem, SlackDesk } from './slack-desk.js';

// The page is plain files, no build step; the same path from src/playground and dist/playground.
const PAGE_DIR = new URL('../../src/playground/page/', import.meta.url);
const PAGE_FILES: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/playground.js': { file: 'playground.js', type: 'text/javascript; charset=utf-8' },
  '/slack-blocks.js': { file: 'slack-blocks.js', type: 'text/javascript; charset=utf-8' },
  '/playground.css': { file: 'playground.css', type: 'text/css; charset=utf-8' },
};

export interface PlaygroundWorld {
  readonly slack: SlackDesk;
  readonly github: GitHubDesk;
  readonly botUserId: string;
  readonly people: ReadonlyArray<{ id: string; name: string }>;
  readonly channels: readonly string[];
  /** deploybot's own URL, where its log pages are. */
  readonly deploybotUrl: string;
}

/** What the page polls: everything one person sees in Slack, and the GitHub panel. */
export interface PlaygroundState {
  readonly me: string;
  readonly bot: string;
  readonly people: ReadonlyArray<{ id: string; name: string }>;
  readonly channels: readonly string[];
  readonly items: DeskItem[];
  readonly github: GitHubView;
  readonly deploybotUrl: string;
}

const slackId = z.string().regex(/^[A-Z0-9]{2,30}$/);
const text = z.string().trim().min(1).max(4000);
const repo = z.string().min(3).max(200);
const BODIES = {
  command: z.object({
    user: slackId,
    channel: slackId,
    text,
    command: z
      .string()
      .regex(/^\/[\w-]{1,31}$/)
      .optional(),
  }),
  mention: z.object({ user: slackId, channel: slackId, text, threadTs: z.string().max(40).optional() }),
  press: z.object({
    user: slackId,
    key: z.string().max(100),
    actionId: z.string().max(255),
    value: z.string().max(2000),
    blockId: z.string().max(255),
  }),
  pull: z.object({ repo, title: text, author: z.string().min(1).max(39), base: z.string().min(1).max(255) }),
  merge: z.object({ repo, number: z.number().int().positive() }),
  ci: z.object({
    repo,
    sha: z.string().regex(/^[0-9a-f]{40}$/),
    state: z.enum(['pending', 'success', 'failure']),
  }),
  deployment: z.object({
    repo,
    ref: z.string().min(1).max(255),
    environment: z.string().min(1).max(255),
    creator: z.string().min(1).max(39),
  }),
};

/**
 * The playground at `/playground`: the page (GET /, its script and styles), its state
 * (GET /api/state?user=U…), and what a person does there (POST /api/…, JSON bodies). Bad
 * input gets 400 with the reason and changes nothing.
 */
export function createPlaygroundRouter(world: PlaygroundWorld): Router {
  const router = express.Router();
  router.use(express.json({ limit: '64kb' }));

  for (const [path, page] of Object.entries(PAGE_FILES)) {
    router.get(path, (_req, res, next) => {
      readFile(new URL(page.file, PAGE_DIR), 'utf8').then(
        (body) => res.type(page.type).set('cache-control', 'no-store').send(body),
        next,
      );
    });
  }

  router.get('/api/state', (req, res) => {
    const asked = typeof req.query.user === 'string' ? req.query.user : '';
    const me = world.people.some((person) => person.id === asked) ? asked : (world.people[0]?.id ?? '');
    const state: PlaygroundState = {
      me,
      bot: world.botUserId,
      people: world.people,
      channels: world.channels,
      items: world.slack.items(me),
      github: world.github.view(),
      deploybotUrl: world.deploybotUrl,
    };
    res.set('cache-control', 'no-store').json(state);
  });

  const act =
    <T>(schema: z.ZodType<T>, run: (body: T) => Promise<unknown> | unknown) =>
    (req: Request, res: Response, next: NextFunction) => {
      const parsed = schema.safeParse(req.body);
      if (!parsed.success) {
        res.status(400).json({ error: z.prettifyError(parsed.error) });
        return;
      }
      Promise.resolve()
        .then(() => run(parsed.data))
        .then(
          (result) => res.json({ ok: true, result: result ?? null }),
          (error: unknown) => {
            if (error instanceof PlaygroundInputError) res.status(400).json({ error: error.message });
            else next(error);
          },
        );
    };

  router.post(
    '/api/command',
    act(BODIES.command, ({ command, ...body }) =>
      world.slack.command({ ...body, ...(command ? { command } : {}) }),
    ),
  );
  router.post(
    '/api/mention',
    act(BODIES.mention, ({ threadTs, ...body }) =>
      world.slack.mention({ ...body, ...(threadTs ? { threadTs } : {}) }),
    ),
  );
  router.post(
    '/api/press',
    act(BODIES.press, (body) => world.slack.press(body)),
  );
  router.post(
    '/api/github/pulls',
    act(BODIES.pull, (body) => world.github.openPullRequest(body)),
  );
  router.post(
    '/api/github/merge',
    act(BODIES.merge, (body) => world.github.merge(body.repo, body.number)),
  );
  router.post(
    '/api/github/ci',
    act(BODIES.ci, (body) => world.github.reportCi(body.repo, body.sha, body.state)),
  );
  router.post(
    '/api/github/deployments',
    act(BODIES.deployment, (body) => world.github.createDeployment(body)),
  );
  return router;
}
