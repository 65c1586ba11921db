import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { PostgresEventStore } from '@cadre-ledger/event-store';
import { seedHistories } from '../histories';
import { benchToken, closedLoop, percentile, startApi, type BenchRow, type BenchServer } from '../support';

const CLIENTS = 32;

/**
 * Cell 2: HTTP commands (a talk recorded on a random one of 1,000 cadres of 20 facts each: scope
 * check, decider, append; durable commits) by 32 clients, writes/s and p50/p99; beside the same
 * event appended straight to the store by 32 writers (no HTTP, no decider): what the command path
 * costs above the append itself.
 */
export async function commandsCell(server: BenchServer, seconds: number): Promise<BenchRow[]> {
  const url = await server.fresh('bench_commands');
  const store = await PostgresEventStore.open({ connectionString: url, poolSize: CLIENTS + 1 });
  const { cadreIds } = await seedHistories(store, { cadres: 1000, facts: 20, units: 50, prefix: 'w' });
  const api = await startApi(url);
  const token = await benchToken();
  const pick = () => cadreIds[Math.floor(Math.random() * cadreIds.length)];
  const body = JSON.stringify({ kind: 'reminder', reason: '工作作风提醒谈话', effectiveAt: '2026-11-01' });
  try {
    const http = await autocannon({
      url: api.base,
      connections: CLIENTS,
      duration: seconds,
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      requests: [{ setupRequest: (request) => ({ ...request, path: `/v1/cadres/${pick()}/talks`, body }) }],
    });
    const direct = await closedLoop(CLIENTS, seconds * 1000, async () => {
      await store.appendToStream(`cadre-${pick()}`, [{ eventId: randomUUID(), type: 'TalkHeld', effectiveAt: '2026-11-01', actor: 'bench', data: { kind: 'reminder', reason: '工作作风提醒谈话' } }], { expectedRevision: 'any' });
    });
    const directRate = direct.latencies.length / (direct.ms / 1000);
    const failed = http.non2xx + http.errors;
    const label = `HTTP commands (a talk on one of 1,000 cadres), ${CLIENTS} clients`;
    return [
      { cell: '2', measure: `${label}: writes/s${failed ? ` (${failed} not 201)` : ''}`, value: http.requests.total / http.duration, unit: 'writes/s', baseline: { name: 'the same append straight to the store', value: directRate } },
      { cell: '2', measure: `${label}: p50`, value: http.latency.p50, unit: 'ms', baseline: { name: 'the append alone, p50', value: percentile(direct.latencies, 50) } },
      { cell: '2', measure: `${label}: p99`, value: http.latency.p99, unit: 'ms', baseline: { name: 'the append alone, p99', value: percentile(direct.latencies, 99) } },
    ];
  } finally {
    await api.stop();
    await store.close();
  }
}
