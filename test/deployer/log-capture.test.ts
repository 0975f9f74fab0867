import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { selectSecrets } from '../../src/core/deploy-mask.js';
import { createLogCapture, type LogCapture } from '../../src/deployer/log-capture.js';
import { createLogger } from '../../src/logger.js';
import { openDatabase } from '../../src/store/database.js';
import { createStore, type Store } from '../../src/store/store.js';
import { createSystemScheduler } from '../../src/system-scheduler.js';
import { createSqliteDatabase, type TestDatabase } from '../support/databases.js';

const SECRET = 'ghp_secretToken42';

describe('log capture', () => {
  let database: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    database = await createSqliteDatabase();
    store = createStore(await openDatabase(database.setting));
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  const capture = (options: { limitBytes?: number; lastSeq?: number } = {}): LogCapture =>
    createLogCapture({
      store,
      deploymentId: 1001,
      lastSeq: options.lastSeq ?? 0,
      scheduler: { now: () => 1, sleep: createSystemScheduler().sleep },
      log: createLogger({ level: 'silent' }),
      limitBytes: options.limitBytes ?? 1024 * 1024,
      secrets: selectSecrets([SECRET]),
      flushMs: 5,
    });
  const stored = async () => (await store.readDeployLog(1001, 0, 1000)).map((c) => c.text).join('');

  it('stores both streams in arrival order, masking a secret split across chunks', async () => {
    const log = capture();
    log.write('stdout', Buffer.from('token: ghp_sec'));
    log.write('stderr', Buffer.from('warning on stderr\n'));
    log.write('stdout', Buffer.from('retToken42 ok\n'));
    await log.close();
    expect(await stored()).toBe('token: warning on stderr\n[masked] ok\n');
  });

  it('decodes a character split across chunks', async () => {
    const log = capture();
    const bytes = Buffer.from('héllo ✓\n');
    log.write('stdout', bytes.subarray(0, 2));
    log.write('stdout', bytes.subarray(2, 9));
    log.write('stdout', bytes.subarray(9));
    await log.close();
    expect(await stored()).toBe('héllo ✓\n');
  });

  it('puts deploybot notes on lines of their own, masked too', async () => {
    const log = capture();
    log.write('stdout', Buffer.from('no newline yet'));
    log.note(`running with ${SECRET}`);
    log.note('second note');
    await log.close();
    expect(await stored()).toBe(
      'no newline yet\n[deploybot] running with [masked]\n[deploybot] second note\n',
    );
  });

  it('cuts the log at its limit, says so, and keeps nothing after', async () => {
    const log = capture({ limitBytes: 20 });
    log.write('stdout', Buffer.from('0123456789'));
    log.write('stdout', Buffer.from('abcdefghijKLMNOP'));
    log.write('stdout', Buffer.from('never stored'));
    log.note('nor this');
    await log.close();
    expect(await stored()).toBe(
      '0123456789abcdefghij\n[deploybot] The log reached its limit of 20 bytes here; the rest of the output was not kept.\n',
    );
  });

  it('gives the closing line, which the cap does not hold back, a line of its own', async () => {
    const open = capture();
    open.write('stdout', Buffer.from('no newline at the end'));
    await open.close();
    expect(open.closingLine(`success: ${SECRET}`)).toBe('\n[deploybot] success: [masked]\n');

    const cut = capture({ limitBytes: 5 });
    cut.write('stdout', Buffer.from('0123456789'));
    await cut.close();
    expect(cut.closingLine('success: deployed in 1s')).toBe('[deploybot] success: deployed in 1s\n');
  });

  it('lets out what a stream held back once its process ended, ahead of the next note', async () => {
    const log = capture();
    // "ghp_s" could be the start of the secret: held back until the stream shows it is not.
    log.write('stdout', Buffer.from('token ghp_s'));
    log.endOutput();
    log.note('exit code 0');
    await log.close();
    expect(await stored()).toBe('token ghp_s\n[deploybot] exit code 0\n');
  });

  it('continues the numbering of chunks already stored', async () => {
    await store.appendDeployLog(1001, 1, 'earlier\n', 0);
    const log = capture({ lastSeq: 1 });
    log.note('later');
    await log.close();
    expect(await store.readDeployLog(1001, 0, 10)).toEqual([
      { seq: 1, text: 'earlier\n' },
      { seq: 2, text: '[deploybot] later\n' },
    ]);
  });
});
