#!/usr/bin/env node
// `npm run build` runs this after tsc: dist/main.js becomes one file with its dependencies, so a
// start reads and links one module instead of ~1,500 (about 0.7 s of a 2 s start here). The
// native driver stays outside, and so do the commands `npm start` never runs (setup, playground),
// which load tsc's own output beside it.
import { build } from 'esbuild';

/**
 * deploybot speaks to Slack over HTTP only; Bolt's index loads its Socket Mode receiver all the
 * same, and with it @slack/socket-mode, which brings a copy of undici (~1 MB of source) and ws.
 * Each start would parse them and keep their source in memory. Left out, the receiver's module
 * still loads; constructing it would fail, and nothing does (the app is built with `socketMode`
 * unset and an ExpressReceiver).
 */
const leaveOutSocketMode = {
  name: 'leave-out-socket-mode',
  setup(bundle) {
    bundle.onResolve({ filter: /^@slack\/socket-mode$/ }, () => ({
      path: 'socket-mode',
      namespace: 'left-out',
    }));
    bundle.onLoad({ filter: /.*/, namespace: 'left-out' }, () => ({
      contents: 'module.exports = {};',
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: ['dist/main.js'],
  outfile: 'dist/main.js',
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'pg-native', './setup/*', './playground/*'],
  plugins: [leaveOutSocketMode],
  // CommonJS dependencies call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as __deploybotRequire } from 'node:module'; const require = __deploybotRequire(import.meta.url);",
  },
  // Whitespace and syntax only: names stay, so stack traces and profiles still read, and the
  // source a start parses and keeps shrinks by a quarter.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  logLevel: 'warning',
});
