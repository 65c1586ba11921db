/**
 * `npm run bench:long-history`: a cadre with a long history (3,000 and 20,000 facts, appended
 * through the store) asked for its eligibility over HTTP by 1 and by 4 clients, while another
 * client polls /health/live: the eligibility latency, and how long liveness waits meanwhile, with
 * the evaluation on worker threads (the default) and on the event loop (LEDGER_EVALUATION_THREADS=0).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { poolEvaluator } from '@cadre-ledger/application';
import { PostgresEventStore } from '@cadre-ledger/event-store';
import { ensureDatabase, findFreePort, startEmbeddedPostgres, withDatabase } from '@cadre-ledger/platform';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { createApiApp } from '../apps/api/src/app';
import { secretKey, signToken } from '../apps/api/src/auth/jwt';
import { syntheticHistory } from './synthetic-history';

const SECRET = 'bench-secret-long-enough-for-hs256-000';
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 40);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1));
};

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'cadre-ledger-bench-long-'));
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await findFreePort() });
  const rows: Record<string, unknown>[] = [];
  try {
    await ensureDatabase(server.url, 'bench');
    const url = withDatabase(server.url, 'bench');
    const store = await PostgresEventStore.open({ connectionString: url, poolSize: 8 });
    for (const size of [3_000, 20_000]) {
      const history = syntheticHistory(size, 11).filter((f) => f.type !== 'UnitAssessmentRecorded');
      const cadreId = `long-${size}`;
      const stream = `cadre-${cadreId}`;
      const events = history.map((f) => ({
        eventId: randomUUID(),
        type: f.type,
        effectiveAt: f.metadata.effectiveAt,
        actor: 'bench',
        data: (f.type === 'CadreRegistered' ? { ...f.data, cadreId } : f.data) as Record<string, unknown>,
      }));
      for (let i = 0; i < events.length; i += 1000) await store.appendToStream(stream, events.slice(i, i + 1000), { expectedRevision: i === 0 ? 'no-stream' : i - 1 });
      for (const threads of [2, 0]) for (const clients of [1, 4]) rows.push(await measure(store, url, cadreId, history.length, threads, clients));
    }
    await store.close();
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`eligibility of one long history over HTTP, ${REQUESTS} requests by 1 or 4 clients, Node ${process.version}`);
  console.table(rows);
}

async function measure(store: PostgresEventStore, url: string, cadreId: string, facts: number, threads: number, clients: number): Promise<Record<string, unknown>> {
  const pool = new Pool({ connectionString: url, max: 4 });
  const ruleBook = readRuleBook();
  const evaluator = poolEvaluator({ ruleBook, ruleSetsDir: undefined, threads });
  const app = await createApiApp({ store, pool, ruleBook, jwtSecret: SECRET, logLevel: 'silent', defaultMetrics: false, ledger: { evaluator } });
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const token = await signToken({ sub: 'bench', roles: ['admin'], units: ['*'] }, secretKey(SECRET));
  const ask = async () => {
    const started = performance.now();
    const res = await fetch(`${base}/v1/cadres/${cadreId}/eligibility?asOf=2026-06-01`, { headers: { Authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`eligibility answered ${res.status}`);
    await res.json();
    return performance.now() - started;
  };
  await ask(); // warm-up (and the worker's start)
  const latencies: number[] = [];
  const liveness: number[] = [];
  let done = false;
  const poller = (async () => {
    while (!done) {
      const started = performance.now();
      await (await fetch(`${base}/health/live`)).text();
      liveness.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next++ < REQUESTS) latencies.push(await ask());
    }),
  );
  done = true;
  await poller;
  await app.close();
  await evaluator.close();
  await pool.end();
  return {
    facts: facts,
    evaluation: threads > 0 ? `${threads} worker threads` : 'event loop',
    clients,
    'eligibility p50 ms': percentile(latencies, 50),
    'eligibility p99 ms': percentile(latencies, 99),
    'liveness p50 ms': percentile(liveness, 50),
    'liveness max ms': percentile(liveness, 100),
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
