#!/usr/bin/env node
// Launcher of the `ledger` CLI (apps/cli/src/main.ts): compiles TypeScript on the fly, without type
// checking (that is `npm run typecheck`), and resolves the @cadre-ledger/* paths of tsconfig.json,
// so `npx ledger …` works on a fresh clone after `npm ci`, with no build step.
'use strict';
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const tsconfig = path.join(root, 'tsconfig.json');
require('ts-node').register({ project: tsconfig, transpileOnly: true, compilerOptions: { sourceMap: true } });
require('tsconfig-paths').register({ baseUrl: root, paths: require(tsconfig).compilerOptions.paths });
require(path.join(root, 'apps', 'cli', 'src', 'main.ts')).run();
