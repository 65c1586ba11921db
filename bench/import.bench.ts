/**
 * `npm run bench:import`: facts imported per second by `ledger import` (run as the CLI, a child
 * process) for 100,000 facts, into a fresh PostgreSQL database with durable commits. Speed is
 * measured here, never asserted in tests.
 *
 * The facts are realistic: the demo dataset (every mechanism, three jurisdictions) is generated in
 * memory through the ledger's command path, then repeated under fresh identifiers (cadre, unit and
 * case ids, event ids, and the references between them) with the hash chains recomputed, until
 * there are `BENCH_FACTS` (default 100,000) lines in the export format.
 *
 * Uses `DATABASE_URL` if set (a fresh database is created on that server and dropped after),
 * otherwise starts an embedded PostgreSQL on a free port and a temporary data directory.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { chainHash, GENESIS_HASH, InMemoryEventStore, type StoredEvent } from '@cadre-ledger/event-store';
import { ensureDatabase, findFreePort, startEmbeddedPostgres, withDatabase } from '@cadre-ledger/platform';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { loadDemo } from '../apps/cli/src/demo/load';

const FACTS = Number(process.env.BENCH_FACTS ?? 100_000);
const BASE_CADRES = Number(process.env.BENCH_BASE_CADRES ?? 200);
const SEED = 7;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

const mappedUuid = (copy: number, id: string) => {
  const h = createHash('sha256').update(`${copy}:${id}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** One copy of a base event under fresh identifiers; hashes are recomputed by the caller. */
function renamed(event: StoredEvent, copy: number): Omit<StoredEvent, 'recordedAt' | 'globalPosition' | 'hash' | 'prevHash'> {
  const { recordedAt: _r, globalPosition: _g, hash: _h, prevHash: _p, ...rest } = event;
  const text = JSON.stringify(rest)
    .replace(UUID, (id) => mappedUuid(copy, id))
    .replace(new RegExp(`(?<=["-])d${SEED}-(?=(?:sn|zjj|cn)-)`, 'g'), `b${copy}-`);
  return JSON.parse(text);
}

/**
 * `facts` lines of the demo's mix under fresh ids, or (with `copies`) that many whole copies of the
 * demo: `copies` × `BENCH_BASE_CADRES` cadres with every fact of theirs.
 */
export async function writeFacts(path: string, facts = FACTS, options: { copies?: number } = {}): Promise<{ base: number; written: number; baseCadres: number; copies: number }> {
  const copies = options.copies ?? Number.POSITIVE_INFINITY;
  const store = new InMemoryEventStore();
  await loadDemo(store, readRuleBook(), { cadres: BASE_CADRES, seed: SEED });
  const base = await store.readAll({ limit: 10_000_000 });
  const out = createWriteStream(path);
  const heads = new Map<string, string>();
  let written = 0;
  let copy = 0;
  for (; copy < copies && written < facts; copy++) {
    for (const event of base) {
      if (written >= facts) break;
      const line = renamed(event, copy);
      const prevHash = heads.get(line.stream) ?? GENESIS_HASH;
      const hash = chainHash(prevHash, line, 'v2-sha256');
      heads.set(line.stream, hash);
      if (!out.write(`${JSON.stringify({ ...line, prevHash, hash, hashFormat: 'v2-sha256' })}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
      written += 1;
    }
  }
  await new Promise<void>((r, j) => out.end((error?: Error | null) => (error ? j(error) : r())));
  return { base: base.length, written, baseCadres: BASE_CADRES, copies: copy };
}

function importWithCli(file: string, databaseUrl: string): Promise<{ report: Record<string, number>; wallMs: number }> {
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [resolve(__dirname, '..', 'bin', 'ledger.js'), 'import', file, '--json'], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ledger import exited ${code}: ${stdout}`));
      resolvePromise({ report: JSON.parse(stdout), wallMs: performance.now() - started });
    });
  });
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-import-'));
  const file = join(dir, 'facts.ndjson');
  let stop = async () => undefined as void;
  try {
    const generated = await writeFacts(file);
    console.log(`generated ${generated.written} facts (${generated.base}-event demo base of ${BASE_CADRES} cadres, repeated under fresh ids)`);
    let serverUrl = process.env.DATABASE_URL;
    if (!serverUrl) {
      const server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await findFreePort() });
      serverUrl = server.url;
      stop = () => server.stop();
    }
    const name = `bench_import_${Date.now()}`;
    await ensureDatabase(serverUrl, name);
    const url = withDatabase(serverUrl, name);
    try {
      const first = await importWithCli(file, url);
      const again = await importWithCli(file, url);
      const rate = (r: Record<string, number>) => Math.round((r.imported + r.alreadyStored) / (r.elapsedMs / 1000));
      console.log(`machine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
      console.log(`import of ${first.report.imported} facts: ${(first.report.elapsedMs / 1000).toFixed(1)} s → ${rate(first.report)} facts/s (${(first.wallMs / 1000).toFixed(1)} s with process start)`);
      console.log(`re-run, all ${again.report.alreadyStored} already stored: ${(again.report.elapsedMs / 1000).toFixed(1)} s → ${rate(again.report)} facts/s`);
    } finally {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    }
  } finally {
    await stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
