import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { Kafka, Producer } from 'kafkajs';
import { Ledger } from '@cadre-ledger/application';
import type { PostgresEventStore, StoredEvent } from '@cadre-ledger/event-store';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { waitUntil } from '@cadre-ledger/platform';
import { Projector } from '@cadre-ledger/projections';
import { startKafkaTestBed, type KafkaTestBed } from '../../../../test/support/kafka/kafka-test-bed';
import { KafkaRelay } from './relay';
import { parseLedgerEventMessage } from '../contracts/ledger-event.v1';
import type { EligibilityMessageV1 } from '../contracts/eligibility.v1';

jest.setTimeout(60_000); // consumer groups take seconds to form
const ruleBook = readRuleBook();
const post = { title: '局长', level: 'county-chief', leadership: true, principal: true } as const;

let bed: KafkaTestBed;
let client: Kafka;
let store: PostgresEventStore;
let pool: Pool;
let producer: Producer;
const stored: StoredEvent[] = [];

beforeAll(async () => {
  bed = await startKafkaTestBed('relay');
  ({ client, store, pool, producer } = bed);
  const ledger = new Ledger({ store, ruleBook, now: () => new Date(), newEventId: randomUUID });
  for (const cadreId of ['c-1', 'c-2', 'c-3']) {
    const write = async (result: { events: StoredEvent[] }) => stored.push(...result.events);
    await write(await ledger.executeCadreCommand(cadreId, { type: 'RegisterCadre', data: { cadreId, name: '冯涛', unitId: 'u-1', jurisdiction: 'CN-SN', position: post, effectiveAt: '2019-01-01' }, metadata: { actor: 'org' } }));
    await write(await ledger.executeCadreCommand(cadreId, { type: 'IssueCaution', data: { reason: '督查通报', effectiveAt: '2026-06-01' }, metadata: { actor: 'org' } }));
    await write(await ledger.executeCadreCommand(cadreId, { type: 'IssueCommendation', data: { level: 'municipal', kind: 'citation', title: '嘉奖', effectiveAt: '2026-07-01' }, metadata: { actor: 'org' } }));
  }
  stored.push(...(await ledger.executeUnitCommand('u-1', { type: 'RecordUnitAssessment', data: { unitId: 'u-1', year: 2025, grade: 'good', effectiveAt: '2026-02-01' }, metadata: { actor: 'kh' } })).events);
  const last = Math.max(...stored.map((e) => e.globalPosition));
  await waitUntil(async () => (await store.readAll({ fromPosition: last - 1, limit: 1 })).length > 0, { timeoutMs: 30_000, description: 'every append to be readable' });
}, 60_000);

afterAll(async () => {
  await bed?.close();
});

/** Reads a topic from the beginning until `enough` says so (or the deadline passes). */
async function consume(topic: string, enough: (n: number) => boolean) {
  const consumer = client.consumer({ groupId: `reader-${randomUUID()}` });
  const seen: { partition: number; key: string; value: string; headers: Record<string, string> }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
      seen.push({ partition, key: String(message.key), value: String(message.value), headers });
    },
  });
  try {
    await waitUntil(() => enough(seen.length), { timeoutMs: 30_000, description: `messages on ${topic}` });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

describe('KafkaRelay', () => {
  it('publishes every event once per eventId, keyed by cadre, in each cadre’s order', async () => {
    const relay = new KafkaRelay({ pool, store, producer, name: 'once', topics: { eventsV1: 'events-once', eventsV2: 'events-once-v2', eventsV3: 'events-once-v3' } });
    expect(await relay.catchUp()).toBe(stored.length);
    const messages = await consume('events-once', (n) => n >= stored.length);
    expect(messages).toHaveLength(stored.length);
    const parsed = messages.map((m) => ({ ...m, message: parseLedgerEventMessage(m.value) }));
    expect(new Set(parsed.map((m) => m.headers.eventId))).toEqual(new Set(stored.map((e) => e.eventId)));
    for (const m of parsed) {
      expect(m.key).toBe(m.message.subject.id);
      expect(m.headers).toMatchObject({ eventId: m.message.eventId, type: m.message.type, schemaVersion: '1' });
    }
    for (const key of ['c-1', 'c-2', 'c-3']) {
      const revisions = parsed.filter((m) => m.key === key).map((m) => m.message.revision);
      expect(revisions).toEqual([0, 1, 2]);
    }
  });

  it('loses nothing when it dies between the broker’s ack and its checkpoint, and restarts from there', async () => {
    let sends = 0;
    const dying = {
      send: async (record: Parameters<Producer['send']>[0]) => {
        const result = await producer.send(record);
        // The second batch's last topic (v3, v2, then v1): acknowledged everywhere, not checkpointed.
        if (record.topic === 'events-restart' && ++sends === 2) throw new Error('killed after the ack, before the checkpoint');
        return result;
      },
    } as unknown as Producer;
    const first = new KafkaRelay({ pool, store, producer: dying, name: 'restart', topics: { eventsV1: 'events-restart', eventsV2: 'events-restart-v2', eventsV3: 'events-restart-v3' }, batchSize: 3 });
    await expect(first.catchUp()).rejects.toThrow('killed');
    expect(await first.checkpoint()).toBe(stored[2].globalPosition); // the first batch, acknowledged on both topics

    const second = new KafkaRelay({ pool, store, producer, name: 'restart', topics: { eventsV1: 'events-restart', eventsV2: 'events-restart-v2', eventsV3: 'events-restart-v3' }, batchSize: 3 });
    await second.catchUp();
    const messages = await consume('events-restart', (n) => n >= stored.length + 3);
    const ids = messages.map((m) => m.headers.eventId);
    expect(new Set(ids)).toEqual(new Set(stored.map((e) => e.eventId)));
    expect(ids).toHaveLength(stored.length + 3); // the batch in flight was published twice: at least once
  });

  it('publishes each changed verdict to the eligibility topic and empties the outbox', async () => {
    const projector = new Projector({ pool, store, ruleBook, today: () => '2026-11-22', eligibilityOutbox: true });
    await projector.catchUp();
    const relay = new KafkaRelay({ pool, store, producer, name: 'eligibility', topics: { eligibilityV1: 'eligibility-test', eligibilityV2: 'eligibility-test-v2' } });
    const published = await relay.publishEligibility();
    expect(published).toBeGreaterThanOrEqual(3);
    expect((await pool.query('SELECT count(*)::int AS n FROM eligibility_outbox')).rows[0].n).toBe(0);
    const messages = await consume('eligibility-test', (n) => n >= published);
    const latest = new Map(messages.map((m) => [m.key, JSON.parse(m.value) as EligibilityMessageV1]));
    expect([...latest.keys()].sort()).toEqual(['c-1', 'c-2', 'c-3']);
    for (const message of latest.values()) {
      expect(message).toMatchObject({ contract: 'cadre-ledger.eligibility.v1', promotable: false, unitId: 'u-1' });
      expect(message.verdict.locks.map((l) => l.ruleId)).toEqual(['CN/JM-caution']);
    }
  });
});
