import { ESLint } from 'eslint';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import tseslint from 'typescript-eslint';

/**
 * libs/domain and libs/policy stay pure (STYLE.md): the lint rule in eslint.config.mjs must fire
 * on framework, client and I/O imports and on reading the clock, and must leave pure code alone.
 */
const root = join(__dirname, '..', '..');
// eslint.config.mjs cannot be imported inside jest's VM; it spreads these same rules.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const purity = require('../../eslint.purity.cjs');
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...purity],
});

async function ruleIdsFor(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the purity lint rule', () => {
  it.each([
    ["import { Injectable } from '@nestjs/common';", 'no framework imports'],
    ["import { Pool } from 'pg';", 'no database, broker or store clients'],
    ["import { Kafka } from 'kafkajs';", 'no database, broker or store clients'],
    ["import { EventStoreDBClient } from '@eventstore/db-client';", 'no database, broker or store clients'],
    ["import { readFileSync } from 'node:fs';", 'no I/O'],
    ["import * as fs from 'fs';", 'no I/O'],
    ["import { PostgresEventStore } from '@cadre-ledger/event-store';", 'adapters depend on the domain'],
  ])('fires on %s in libs/domain and libs/policy', async (line, reason) => {
    for (const file of ['libs/domain/src/cadres/probe.ts', 'libs/policy/src/evaluate/probe.ts']) {
      const messages = await ruleIdsFor(`${line}\nexport const x = 1;\n`, file);
      expect(messages).toEqual([expect.stringMatching(new RegExp(`^no-restricted-imports: .*${reason}`))]);
    }
  });

  it.each([
    ['export const today = new Date();', 'no clock'],
    ['export const now = Date.now();', 'no clock'],
    ['export const id = Math.random();', 'no randomness'],
    ['export const env = process.env.X;', 'no process state'],
  ])('fires on %s', async (code, reason) => {
    const messages = await ruleIdsFor(code, 'libs/domain/src/shared/probe.ts');
    expect(messages).toEqual([expect.stringMatching(new RegExp(`^no-restricted-syntax: .*${reason}`))]);
  });

  it('leaves pure code and adapters alone', async () => {
    const pure = "import { plusMonths } from '../shared/local-date';\nexport const d = plusMonths('2020-02-29', 12);\nexport const parsed = new Date('2020-01-01');\n";
    expect(await ruleIdsFor(pure, 'libs/domain/src/cadres/probe.ts')).toEqual([]);
    const adapter = "import { Pool } from 'pg';\nexport const pool = new Pool();\n";
    expect(await ruleIdsFor(adapter, 'libs/event-store/src/postgres/probe.ts')).toEqual([]);
  });

  it('lets specs read fixtures from disk, but not pull in a framework', async () => {
    expect(await ruleIdsFor("import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n", 'libs/policy/src/probe.spec.ts')).toEqual([]);
    expect(await ruleIdsFor("import { Test } from '@nestjs/testing';\nexport const t = Test;\n", 'libs/policy/src/probe.spec.ts')).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*no framework imports/),
    ]);
  });
});

describe('eslint.config.mjs', () => {
  it('applies the purity rules when eslint runs from the command line', () => {
    const bin = join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');
    const run = spawnSync(process.execPath, [bin, '--stdin', '--stdin-filename', 'libs/domain/src/cadres/probe.ts', '--format', 'json'], {
      cwd: root,
      input: "import { Pool } from 'pg';\nexport const pool = Pool;\n",
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string; message: string }[] }[];
    expect(result.messages.map((m) => m.ruleId)).toEqual(['no-restricted-imports']);
  });
});
