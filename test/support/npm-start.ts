import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { waitFor } from './wait-for';

/**
 * `npm start` as an operator runs it (the package's own start script, through `sh`), for tests
 * that need the whole service: API, projector and clock on the embedded PostgreSQL of a data dir.
 */
export const ROOT = resolve(__dirname, '../..');
const START_SCRIPT = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start;

export interface Started {
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

export function start(env: Record<string, string>): Started {
  const inherited = { ...process.env };
  for (const name of ['LEDGER_JWT_SECRET', 'DATABASE_URL', 'EVENTSTORE_CONNECTION_STRING', 'EMBEDDED_PG_DATA_DIR', 'TEST_DATABASE_URL']) delete inherited[name];
  const child = spawn('sh', ['-c', `exec ${START_SCRIPT}`], {
    cwd: ROOT,
    env: { ...inherited, PATH: `${join(ROOT, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output, exited };
}

export async function healthy(url: string, started: Started): Promise<void> {
  await waitFor(
    async () => {
      if (started.child.exitCode !== null) throw new Error(`npm start exited with ${started.child.exitCode}:\n${started.output.join('')}`);
      return (await fetch(`${url}/health`)).status === 200;
    },
    { timeoutMs: 120_000, description: `npm start to answer /health on ${url}`, maxIntervalMs: 500 },
  );
}

export async function stop(started: Started): Promise<number | null> {
  if (started.child.exitCode !== null) return started.child.exitCode;
  started.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`npm start did not exit after SIGTERM:\n${started.output.join('')}`)), 60_000);
  });
  try {
    return await Promise.race([started.exited, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

