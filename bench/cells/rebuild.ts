import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Pool } from 'pg';
import { PostgresEventStore, type StoredEvent } from '@cadre-ledger/event-store';
import { toFact, unitHistory, parentsOf } from '@cadre-ledger/application';
import { chinaDateOf, unitStream, unitsSatIn, type Fact } from '@cadre-ledger/domain';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { cadreRows, migrateReadModels } from '@cadre-ledger/projections';
import { seedHistories } from '../histories';
import { ROOT, type BenchRow, type BenchServer } from '../support';

/** `ledger rebuild --json` in a child process: its own time (from the rebuild's start, the process's start-up aside) and its peak resident memory. */
export function ledgerRebuild(databaseUrl: string): Promise<{ events: number; elapsedMs: number; maxRssMiB: number }> {
  // The CLI itself, with one line added at exit: the process's peak memory (resourceUsage().maxRSS, KiB).
  const script = `process.on('exit', () => process.stderr.write('maxrss ' + process.resourceUsage().maxRSS + '\\n')); require(${JSON.stringify(join(ROOT, 'bin', 'ledger.js'))});`;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['-e', script, 'ledger', 'rebuild', '--json'], { env: { ...process.env, DATABASE_URL: databaseUrl, LEDGER_ACTOR: 'bench' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ledger rebuild exited ${code}: ${stderr.slice(-2000)}`));
      const maxRss = Number(/maxrss (\d+)/.exec(stderr)?.[1] ?? Number.NaN);
      const result = JSON.parse(stdout) as { events: number; elapsedMs: number };
      resolvePromise({ events: result.events, elapsedMs: result.elapsedMs, maxRssMiB: Math.round(maxRss / 1024) });
    });
  });
}

/**
 * Cell 6: `ledger rebuild` of the read models from `BENCH_REBUILD_CADRES` (default 10,000) cadres of
 * about 20 facts each, appended interleaved as a live ledger's are, beside the same computation in
 * memory (every cadre's history folded and evaluated into its rows, events already in hand); and
 * the rebuild's peak memory (cell 8).
 */
export async function rebuildCell(server: BenchServer): Promise<BenchRow[]> {
  const url = await server.fresh('bench_rebuild');
  const cadres = Number(process.env.BENCH_REBUILD_CADRES ?? 10000);
  const store = await PostgresEventStore.open({ connectionString: url });
  await seedHistories(store, { cadres, facts: 20, units: 100, prefix: 'r', interleaved: true });
  const pool = new Pool({ connectionString: url, max: 2 });
  await migrateReadModels(pool);
  await pool.end();

  // The in-memory baseline: every event in hand first (not timed), then the same rows computed.
  const all: StoredEvent[] = [];
  for (let from = 0; ; ) {
    const page = await store.readAll({ fromPosition: from, limit: 10_000 });
    if (page.length === 0) break;
    all.push(...page);
    from = page[page.length - 1].globalPosition;
  }
  await store.close();
  const streams = new Map<string, Fact[]>();
  for (const event of all) {
    const facts = streams.get(event.stream) ?? [];
    facts.push(toFact(event));
    streams.set(event.stream, facts);
  }
  const ruleBook = readRuleBook();
  const today = chinaDateOf(new Date().toISOString());
  const started = performance.now();
  for (const [stream, facts] of streams) {
    if (!stream.startsWith('cadre-')) continue;
    const units = new Map(unitsSatIn(facts).map((u) => [u, streams.get(unitStream(u)) ?? []]));
    const parents = new Map(parentsOf(units).map((u) => [u, streams.get(`unit-${u}`) ?? []]));
    cadreRows(ruleBook, [...facts, ...unitHistory(units, parents)], today);
  }
  const inMemory = (all.length * 1000) / (performance.now() - started);

  const rebuilt = await ledgerRebuild(url);
  return [
    { cell: '6', measure: `ledger rebuild, ${rebuilt.events.toLocaleString('en-US')} events of ${cadres.toLocaleString('en-US')} cadres (interleaved)`, value: (rebuilt.events * 1000) / rebuilt.elapsedMs, unit: 'events/s', baseline: { name: 'the same rows computed in memory', value: inMemory }, target: { ratio: 0.3 } },
    { cell: '8', measure: 'ledger rebuild peak RSS', value: rebuilt.maxRssMiB, unit: 'MiB' },
  ];
}
