import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The launcher `npx ledger` runs (package.json "bin"). */
export const LEDGER_BIN = resolve(__dirname, '..', '..', '..', 'bin', 'ledger.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a CLI run against one test database: `DATABASE_URL` so the CLI never starts
 * an embedded server of its own, and a data dir of its own so nothing leaks from the developer's.
 */
export function cliEnv(databaseUrl: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, LEDGER_DATA_DIR: mkdtempSync(join(tmpdir(), 'ledger-cli-')), ...extra };
  delete env.EVENTSTORE_CONNECTION_STRING;
  delete env.LEDGER_JWT_SECRET;
  if (extra.LEDGER_JWT_SECRET) env.LEDGER_JWT_SECRET = extra.LEDGER_JWT_SECRET;
  return env;
}

/** Starts `ledger <args>` as a child process (for tests that must signal it). */
export function spawnLedger(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; result: Promise<CliResult>; output: () => CliResult } {
  const child = spawn(process.execPath, [LEDGER_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const collected: CliResult = { code: null, signal: null, stdout: '', stderr: '' };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (collected.stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (collected.stderr += chunk));
  const result = new Promise<CliResult>((resolveResult, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolveResult({ ...collected, code, signal }));
  });
  return { child, result, output: () => collected };
}

/** Runs `ledger <args>` to the end. */
export function runLedger(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return spawnLedger(args, env).result;
}
