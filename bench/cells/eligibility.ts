import autocannon from 'autocannon';
import { Pool } from 'pg';
import { PostgresEventStore } from '@cadre-ledger/event-store';
import { seedHistories } from '../histories';
import { benchToken, closedLoop, percentile, startApi, type BenchRow, type BenchServer } from '../support';

const CLIENTS = 32;

/**
 * Cell 3: the as-of eligibility answer over HTTP (the call HR systems make most), for cadres with
 * 20- and 200-fact histories, `BENCH_CADRES` (default 1,000) of each, each request a random cadre
 * and a random asOf, the read audit on; beside the raw SQL read of the same cadre's stream rows
 * over `pg` at the same concurrency. Also the API's peak memory under this load (cell 8).
 */
export async function eligibilityCell(server: BenchServer, seconds: number): Promise<BenchRow[]> {
  const url = await server.fresh('bench_eligibility');
  const cadres = Number(process.env.BENCH_CADRES ?? 1000);
  const store = await PostgresEventStore.open({ connectionString: url });
  const sets = [
    { label: '20-fact histories', cadreIds: (await seedHistories(store, { cadres, facts: 20, units: 50, prefix: 'h20' })).cadreIds },
    { label: '200-fact histories', cadreIds: (await seedHistories(store, { cadres, facts: 200, units: 50, prefix: 'h200' })).cadreIds },
  ];
  await store.close();
  return measureEligibility(url, sets, seconds);
}

/** The as-of eligibility of random cadres of each set over HTTP (an API of its own on `url`), beside the raw read of their streams. */
export async function measureEligibility(url: string, sets: readonly { label: string; cadreIds: readonly string[] }[], seconds: number, cell = '3'): Promise<BenchRow[]> {
  const api = await startApi(url);
  const pool = new Pool({ connectionString: url, max: CLIENTS });
  const token = await benchToken();
  const rows: BenchRow[] = [];
  try {
    for (const set of sets) {
      const pick = () => set.cadreIds[Math.floor(Math.random() * set.cadreIds.length)];
      const asOf = () => `${2010 + Math.floor(Math.random() * 17)}-${String(1 + Math.floor(Math.random() * 12)).padStart(2, '0')}-15`;
      const http = { requests: 0, seconds: 0, latencies: [] as number[], errors: 0 };
      const raw = { requests: 0, seconds: 0, latencies: [] as number[] };
      // Alternating halves: the machine's speed drifts, and both sides see the same drift.
      for (const round of [0, 1, 2]) {
        const result = await autocannon({
          url: api.base,
          connections: CLIENTS,
          duration: round === 0 ? 2 : seconds / 2,
          headers: { authorization: `Bearer ${token}` },
          requests: [{ setupRequest: (request) => ({ ...request, path: `/v1/cadres/${pick()}/eligibility?asOf=${asOf()}` }) }],
        });
        const sql = await closedLoop(CLIENTS, (round === 0 ? 2 : seconds / 2) * 1000, async () => {
          await pool.query('SELECT * FROM ledger_events WHERE stream = $1 ORDER BY revision', [`cadre-${pick()}`]);
        });
        if (round === 0) continue; // warm-up
        http.requests += result.requests.total;
        http.seconds += result.duration;
        http.errors += result.errors + result.non2xx;
        // autocannon's histogram: p50 and p99 per half, the worse of the two halves kept.
        http.latencies.push(result.latency.p50, result.latency.p99);
        raw.requests += sql.latencies.length;
        raw.seconds += sql.ms / 1000;
        raw.latencies.push(...sql.latencies);
      }
      const httpRate = http.requests / http.seconds;
      const rawRate = raw.requests / raw.seconds;
      const httpP50 = Math.max(http.latencies[0], http.latencies[2]);
      const httpP99 = Math.max(http.latencies[1], http.latencies[3]);
      const label = `as-of eligibility, ${set.label}, ${CLIENTS} clients`;
      rows.push(
        { cell, measure: `${label}: req/s`, value: httpRate, unit: 'req/s', baseline: { name: 'raw SQL read of the stream', value: rawRate }, target: { ratio: 0.3 }, note: http.errors ? `${http.errors} errors` : undefined },
        { cell, measure: `${label}: p50`, value: httpP50, unit: 'ms', baseline: { name: 'raw SQL read p50', value: percentile(raw.latencies, 50) } },
        { cell, measure: `${label}: p99`, value: httpP99, unit: 'ms', baseline: { name: 'raw SQL read p99', value: percentile(raw.latencies, 99) }, target: { ratio: 2, lowerIsBetter: true } },
      );
    }
    rows.push({ cell: '8', measure: `API peak RSS under cell ${cell}'s eligibility load`, value: api.peakRssMiB(), unit: 'MiB' });
  } finally {
    await pool.end();
    await api.stop();
  }
  return rows;
}
