// A deploy script for tests, run by the deployer with `node fixture-script.mjs MODE [ARG]`.
// It reports through files in $RESULT_DIR, which the test reads.
//   record [CODE]  write what the script saw to run-$DEPLOY_ID.json, append to runs.log, exit CODE (0)
//   gate [CODE]    write started-$DEPLOY_ID (pid, cwd), wait for release-$DEPLOY_ID, exit CODE (0)
//   tree           start a grandchild, write pids-$DEPLOY_ID.json, wait forever
//   sleep MS       write started-$DEPLOY_ID (pid, cwd), wait for release-$DEPLOY_ID, then take MS
//                  milliseconds more, write done-$DEPLOY_ID, exit 0
//   chatty         print some output, half of $SECRET_VALUE, wait for release-$DEPLOY_ID, print the rest
//   flood BYTES    print about BYTES bytes of 100-byte lines, then a line without its newline
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [mode = 'record', arg] = process.argv.slice(2);
const dir = process.env.RESULT_DIR;
const id = process.env.DEPLOY_ID;
const file = (name) => join(dir, name);
const waitFor = (name) =>
  new Promise((resolve) => {
    const check = () => (existsSync(file(name)) ? resolve() : setTimeout(check, 20));
    check();
  });
// Written whole, then renamed: a test that sees the file can read all of it.
const publish = (name, content) => {
  writeFileSync(file(`${name}.tmp`), content);
  renameSync(file(`${name}.tmp`), file(name));
};
const write = (stream, text) => new Promise((resolve) => stream.write(text, resolve));

appendFileSync(file('runs.log'), `${id}\n`);
if (mode === 'record') {
  const read = (path) => (existsSync(path) ? readFileSync(path, 'utf8') : null);
  publish(
    `run-${id}.json`,
    JSON.stringify({
      env: process.env,
      cwd: process.cwd(),
      version: read('VERSION'),
      gitConfig: read('.git/config'),
    }),
  );
  console.log(`deploying version ${read('VERSION')?.trim()} of ${process.env.DEPLOY_REPO}`);
  console.error('a line on stderr');
  process.exitCode = Number(arg ?? 0);
} else if (mode === 'gate') {
  console.log(`deployment ${id} started`);
  publish(`started-${id}`, JSON.stringify({ pid: process.pid, cwd: process.cwd() }));
  await waitFor(`release-${id}`);
  console.log(`deployment ${id} released`);
  process.exitCode = Number(arg ?? 0);
} else if (mode === 'sleep') {
  publish(`started-${id}`, JSON.stringify({ pid: process.pid, cwd: process.cwd() }));
  await waitFor(`release-${id}`);
  await new Promise((resolve) => setTimeout(resolve, Number(arg)));
  publish(`done-${id}`, JSON.stringify({ pid: process.pid }));
} else if (mode === 'tree') {
  const grandchild = spawn('sleep', ['300'], { stdio: 'ignore' });
  publish(`pids-${id}.json`, JSON.stringify({ script: process.pid, grandchild: grandchild.pid }));
  console.log('started a grandchild; waiting forever');
  setInterval(() => undefined, 60_000);
} else if (mode === 'chatty') {
  const secret = process.env.SECRET_VALUE ?? '';
  const half = Math.floor(secret.length / 2);
  await write(process.stdout, 'line one <b>bold?</b> <img src=x onerror="window.pwned=1"> & done\n');
  await write(process.stdout, `a long line: ${'x'.repeat(400)}\n`);
  await write(process.stdout, `secret follows: ${secret.slice(0, half)}`);
  publish(`started-${id}`, '');
  await waitFor(`release-${id}`);
  await write(process.stdout, `${secret.slice(half)} (that was it)\n`);
  await write(process.stdout, 'all done\n');
} else if (mode === 'flood') {
  for (let printed = 0; printed < Number(arg); printed += 100) {
    await write(process.stdout, `${String(printed).padStart(10, '0')} ${'x'.repeat(88)}\n`);
  }
  await write(process.stdout, 'the last line, without its newline');
}
