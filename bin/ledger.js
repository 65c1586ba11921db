#!/usr/bin/env node
// Launcher of the `ledger` CLI. Where the TypeScript sources are not shipped (the image: dist/ and
// production dependencies only), it runs the compiled CLI, dist/apps/cli/src/main.js. In a checkout
// it runs apps/cli/src/main.ts through ts-register.js (transpiled file by file, cached), so that
// `npx ledger …` works on a fresh clone after `npm ci` with no build step, and never a stale build.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const source = path.join(root, 'apps', 'cli', 'src', 'main.ts');

if (fs.existsSync(source)) {
  require('./ts-register');
  require(source).run();
} else {
  require(path.join(root, 'dist', 'apps', 'cli', 'src', 'main.js')).run();
}
