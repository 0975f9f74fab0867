#!/usr/bin/env node
// `npm run build` runs this after tsc: dist/main.js becomes one file with its dependencies, so a
// start reads and links one module instead of ~1,500 (about 0.7 s of a 2 s start here). The
// native driver stays outside, and so do the commands `npm start` never runs (setup, playground),
// which load tsc's own output beside it.
import { build } from 'esbuild';

/**
 * Bolt's index loads its Socket Mode receiver whether or not it is used, and with it
 * @slack/socket-mode, which brings a copy of undici (~1 MB of source) and ws: every start would
 * parse them and keep their source in memory. In the bundle the package is a stand-in that
 * requires the real one, from node_modules, the first time anything of it is used: only a
 * deploybot started with SLACK_APP_TOKEN loads it.
 */
const loadSocketModeOnUse = {
  name: 'load-socket-mode-on-use',
  setup(bundle) {
    bundle.onResolve({ filter: /^@slack\/socket-mode$/ }, (args) =>
      args.namespace === 'on-use'
        ? { path: args.path, external: true }
        : { path: 'socket-mode', namespace: 'on-use' },
    );
    bundle.onLoad({ filter: /.*/, namespace: 'on-use' }, () => ({
      contents: `let real;
module.exports = new Proxy({}, { get: (_, key) => (real ??= require('@slack/socket-mode'))[key] });`,
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
  plugins: [loadSocketModeOnUse],
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
