/**
 * What the benchmarks share: one PostgreSQL server for the whole run (the embedded one, or the
 * server `DATABASE_URL` names), fresh databases on it, the API as a child process the way
 * `npm start` runs it, tokens, percentiles and peak memory. Speed is measured in bench/, never
 * asserted in tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { ensureDatabase, findFreePort, startEmbeddedPostgres, waitUntil, withDatabase } from '@cadre-ledger/platform';
import { secretKey, signToken } from '../apps/api/src/auth/jwt';

export const ROOT = resolve(__dirname, '..');
export const BENCH_SECRET = 'bench-secret-long-enough-for-hs256-000';

export interface BenchServer {
  /** A new, empty database on the server (dropped first if a run left it behind). */
  fresh(name: string): Promise<string>;
  /** Scratch space for the run, removed at the end. */
  dir: string;
  stop(): Promise<void>;
}

export async function benchServer(): Promise<BenchServer> {
  const dir = await mkdtemp(join(tmpdir(), 'cadre-ledger-bench-'));
  let serverUrl = process.env.DATABASE_URL;
  let stopServer = async (): Promise<void> => undefined;
  if (!serverUrl) {
    const server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await findFreePort(), password: 'bench' });
    serverUrl = server.url;
    stopServer = () => server.stop();
  }
  const maintenance = serverUrl;
  return {
    dir,
    fresh: async (name) => {
      const client = new Client({ connectionString: maintenance });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.query('CHECKPOINT');
      } finally {
        await client.end();
      }
      await ensureDatabase(maintenance, name);
      return withDatabase(maintenance, name);
    },
    stop: async () => {
      await stopServer();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

export const benchToken = (roles: string[] = ['admin'], units: string[] = ['*']) => signToken({ sub: 'bench', roles, units }, secretKey(BENCH_SECRET));

export interface RunningApi {
  base: string;
  pid: number;
  /** Peak resident memory of the API process so far, in MiB (Linux: VmHWM). */
  peakRssMiB(): number;
  stop(): Promise<void>;
}

/** Peak resident set of a process (VmHWM in /proc), MiB. */
export function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return Math.round(kib / 1024);
}

/**
 * The API as `npm start` runs it (apps/api/src/main.ts through ts-node, transpile only), on the
 * given database, in a process of its own so that the load generator does not share its event loop.
 */
export async function startApi(databaseUrl: string, env: Record<string, string> = {}): Promise<RunningApi> {
  const port = await findFreePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'cadre-ledger-bench-api-'));
  // BENCH_API_PROFILE=DIR: a V8 CPU profile of the API, written there when it stops.
  const profile = process.env.BENCH_API_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_API_PROFILE] : [];
  // BENCH_API_PRELOAD=FILE: a module the API loads first (a probe of your own).
  if (process.env.BENCH_API_PRELOAD) profile.push('-r', process.env.BENCH_API_PRELOAD);
  const child: ChildProcess = spawn(process.execPath, [...profile, require.resolve('ts-node/dist/bin.js'), '--transpile-only', '-r', 'tsconfig-paths/register', join(ROOT, 'apps/api/src/main.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LEDGER_JWT_SECRET: BENCH_SECRET,
      LEDGER_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      LEDGER_API_PROJECTOR: 'off',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const base = `http://127.0.0.1:${port}`;
  await Promise.race([
    waitUntil(() => fetch(`${base}/health/live`).then((r) => r.ok || undefined, () => undefined), { timeoutMs: 120_000, description: 'the API to answer /health/live' }),
    exited.then(() => Promise.reject(new Error(`the API exited (${child.exitCode}) before it answered`))),
  ]);
  return {
    base,
    pid: child.pid!,
    peakRssMiB: () => peakRssMiB(child.pid!),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `work` by `concurrency` loops until `ms` have passed; returns each call's latency (ms) and the time taken. */
export async function closedLoop(concurrency: number, ms: number, work: (worker: number, i: number) => Promise<void>): Promise<{ latencies: number[]; ms: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  const end = started + ms;
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < end) {
        const t = performance.now();
        await work(worker, i++);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, ms: performance.now() - started };
}

/** One row of the table `npm run bench` prints. */
export interface BenchRow {
  cell: string;
  measure: string;
  /** The ledger's figure. */
  value: number;
  unit: string;
  /** What it is compared with, measured in the same run on the same server. */
  baseline?: { name: string; value: number };
  /** The ratio the issue sets as a target, and which way it points (higher is better unless `lowerIsBetter`). */
  target?: { ratio: number; lowerIsBetter?: boolean } | { atMost: number };
  note?: string;
}

const figure = (n: number) => (Number.isNaN(n) ? '–' : n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(n >= 10 ? 1 : 2));

/** The markdown table of rows: each figure, its baseline, the ratio and whether the target is met. */
export function table(rows: readonly BenchRow[]): string {
  const lines = ['| cell | measure | ledger | baseline | ratio | target |', '|---|---|---|---|---|---|'];
  for (const row of rows) {
    const ratio = row.baseline ? row.value / row.baseline.value : undefined;
    let target = '';
    if (row.target && 'atMost' in row.target) target = `≤ ${row.target.atMost} ${row.unit}: ${row.value <= row.target.atMost ? 'met' : 'missed'}`;
    else if (row.target && ratio !== undefined) {
      const met = row.target.lowerIsBetter ? ratio <= row.target.ratio : ratio >= row.target.ratio;
      target = `${row.target.lowerIsBetter ? '≤' : '≥'} ${row.target.ratio}×: ${met ? 'met' : 'missed'}`;
    }
    const baseline = row.baseline ? `${figure(row.baseline.value)} ${row.unit} (${row.baseline.name})` : '';
    lines.push(`| ${row.cell} | ${row.measure}${row.note ? ` (${row.note})` : ''} | ${figure(row.value)} ${row.unit} | ${baseline} | ${ratio === undefined ? '' : `${ratio.toFixed(2)}×`} | ${target} |`);
  }
  return lines.join('\n');
}
