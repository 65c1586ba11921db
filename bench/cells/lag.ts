import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { PostgresEventStore } from '@cadre-ledger/event-store';
import { LEDGER_EVENTS_TOPIC } from '@cadre-ledger/messaging';
import { startMockKafka } from '../../test/support/kafka/mock-cluster';
import { seedHistories } from '../histories';
import { benchToken, percentile, startApi, type BenchRow, type BenchServer } from '../support';

const WRITES_PER_SECOND = 200;

/**
 * Cell 7: how long after an append its effect is there to read, at a steady 200 writes/s (HTTP
 * commands on 1,000 cadres, sent on a fixed schedule whatever the answers take): append → read
 * model (the API's own projector: the first moment the read-model checkpoint, polled every 5 ms,
 * covers the event) and append → Kafka (the relay to librdkafka's mock cluster: the moment a
 * consumer here receives it). Measured from the event's recordedAt (the database clock, on this
 * same machine), p50 and p99 against the 500 ms the issue sets.
 */
export async function lagCell(server: BenchServer, seconds: number): Promise<BenchRow[]> {
  const url = await server.fresh('bench_lag');
  const store = await PostgresEventStore.open({ connectionString: url });
  const { cadreIds } = await seedHistories(store, { cadres: 1000, facts: 20, units: 50, prefix: 'l' });
  await store.close();
  const kafka = await startMockKafka(1);
  const api = await startApi(url, { LEDGER_API_PROJECTOR: 'on', KAFKA_BROKERS: kafka.brokers.join(',') });
  const pool = new Pool({ connectionString: url, max: 2 });
  const client = new Kafka({ brokers: kafka.brokers, logLevel: logLevel.NOTHING, clientId: 'bench-lag' });
  // librdkafka's mock broker answers a fetch only when its wait runs out (a real broker answers
  // as soon as there is data): a short wait keeps the consumer's own polling out of the figure.
  const consumer = client.consumer({ groupId: `bench-${randomUUID()}`, maxWaitTimeInMs: 20 });
  try {
    const token = await benchToken();
    // Let the projector and relay catch up with the seeded history before the clock starts.
    const caughtUp = async () => {
      const { rows } = await pool.query<{ position: string | null }>("SELECT (SELECT position FROM projection_checkpoints WHERE name = 'read-models') AS position");
      const head = await pool.query<{ head: string }>('SELECT max(global_position) AS head FROM ledger_events');
      return Number(rows[0].position ?? 0) >= Number(head.rows[0].head);
    };
    // Caught up twice a second apart: the clock's marks for the seeded history are in, and projected.
    const waitedFrom = Date.now();
    for (let settled = 0; settled < 2; ) {
      if (Date.now() - waitedFrom > 600_000) throw new Error('the projector did not catch up with the seeded history in 10 minutes');
      settled = (await caughtUp()) ? settled + 1 : 0;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    await consumer.connect();
    await consumer.subscribe({ topic: LEDGER_EVENTS_TOPIC, fromBeginning: false });
    const written = new Set<string>();
    const kafkaLag: number[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        const at = Date.now();
        const event = JSON.parse(message.value!.toString('utf8')) as { eventId: string; recordedAt: string };
        if (written.has(event.eventId)) kafkaLag.push(at - Date.parse(event.recordedAt));
      },
    });
    // The read model's checkpoint as seen over time.
    const seen: { at: number; position: number }[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const { rows } = await pool.query<{ position: string }>("SELECT position FROM projection_checkpoints WHERE name = 'read-models'");
        seen.push({ at: Date.now(), position: Number(rows[0]?.position ?? 0) });
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const sends: Promise<void>[] = [];
    const start = performance.now();
    const total = Math.round(seconds * WRITES_PER_SECOND);
    let failed = 0;
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / WRITES_PER_SECOND;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const cadreId = cadreIds[i % cadreIds.length];
      sends.push(
        fetch(`${api.base}/v1/cadres/${cadreId}/talks`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ kind: 'reminder', reason: '工作作风提醒谈话', effectiveAt: '2026-11-01' }),
        }).then(async (res) => {
          if (res.status !== 201) failed += 1;
          else written.add(((await res.json()) as { eventId: string }).eventId);
        }),
      );
    }
    await Promise.all(sends);
    const achieved = total / ((performance.now() - start) / 1000);
    // Wait until the read model and Kafka have everything written.
    const { rows: events } = await pool.query<{ position: string; recorded_at: Date }>('SELECT global_position AS position, recorded_at FROM ledger_events WHERE event_id = ANY($1::text[])', [[...written]]);
    const last = Math.max(...events.map((e) => Number(e.position)));
    for (const started = Date.now(); (seen[seen.length - 1]?.position ?? 0) < last || kafkaLag.length < written.size; ) {
      if (Date.now() - started > 60_000) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    polling = false;
    await poller;
    // recordedAt keeps microseconds; Date the milliseconds are enough here.
    const readModelLag = events.map((e) => (seen.find((s) => s.position >= Number(e.position))?.at ?? Number.NaN) - e.recorded_at.getTime());
    const note = `${Math.round(achieved)} writes/s achieved, ${written.size} written${failed ? `, ${failed} refused` : ''}`;
    return [
      { cell: '7', measure: `lag append → read model, p50 (${note})`, value: percentile(readModelLag, 50), unit: 'ms' },
      { cell: '7', measure: 'lag append → read model, p99', value: percentile(readModelLag, 99), unit: 'ms', target: { atMost: 500 } },
      { cell: '7', measure: `lag append → Kafka, p50 (${kafkaLag.length} received)`, value: percentile(kafkaLag, 50), unit: 'ms' },
      { cell: '7', measure: 'lag append → Kafka, p99', value: percentile(kafkaLag, 99), unit: 'ms', target: { atMost: 500 } },
    ];
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await pool.end();
    await api.stop();
    await kafka.stop();
  }
}
