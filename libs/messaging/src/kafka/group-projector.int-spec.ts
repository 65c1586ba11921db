import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { Kafka, Producer } from 'kafkajs';
import { Ledger } from '@cadre-ledger/application';
import type { PostgresEventStore, StoredEvent } from '@cadre-ledger/event-store';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { waitUntil } from '@cadre-ledger/platform';
import { GroupProjector, rebuildReadModels } from '@cadre-ledger/projections';
import { readModelChecksum } from '@cadre-ledger/projections/testing/checksum';
import { startKafkaTestBed, type KafkaTestBed } from '../../../../test/support/kafka/kafka-test-bed';
import { KafkaRelay } from './relay';

jest.setTimeout(90_000); // consumer groups take seconds to form and rebalance
const ruleBook = readRuleBook();
const TODAY = '2026-11-22';
const TOPIC = 'events-group';
const post = { title: '副局长', level: 'county-deputy', leadership: true, principal: false } as const;

let bed: KafkaTestBed;
let client: Kafka;
let store: PostgresEventStore;
let pool: Pool;
let producer: Producer;
const members: GroupProjector[] = [];

beforeAll(async () => {
  bed = await startKafkaTestBed('group');
  ({ client, store, pool, producer } = bed);
});

afterAll(async () => {
  for (const m of members) await m.stop();
  await bed?.close();
});

describe('GroupProjector', () => {
  it('two members split the partitions and together project every event once', async () => {
    // The topic exists once something is sent to it; the warm-up record is not a ledger event.
    await producer.send({ topic: TOPIC, messages: [{ key: 'warm-up', value: '{}' }] });
    const partitions = (await client.admin().fetchTopicMetadata({ topics: [TOPIC] })).topics[0].partitions.length;
    expect(partitions).toBeGreaterThan(1);

    const processed = new Map<string, string[]>();
    for (const name of ['replica-a', 'replica-b']) {
      const member = new GroupProjector({
        kafka: client, groupId: 'projectors', topic: TOPIC, pool, store, ruleBook, today: () => TODAY,
        onEvent: (eventId) => processed.set(eventId, [...(processed.get(eventId) ?? []), name]),
      });
      members.push(member);
      await member.start();
    }
    await waitUntil(() => {
      const [a, b] = members.map((m) => m.assignment[TOPIC] ?? []);
      return a.length > 0 && b.length > 0 && new Set([...a, ...b]).size === partitions && a.every((p) => !b.includes(p));
    }, { timeoutMs: 60_000, description: 'both members to hold a share of the partitions' });

    const ledger = new Ledger({ store, ruleBook, now: () => new Date(), newEventId: randomUUID });
    const stored: StoredEvent[] = [];
    for (let i = 0; i < 12; i++) {
      const cadreId = `g-${i}`;
      stored.push(...(await ledger.executeCadreCommand(cadreId, { type: 'RegisterCadre', data: { cadreId, name: '何静', unitId: `u-${i % 3}`, jurisdiction: 'CN', position: post, effectiveAt: '2020-01-01' }, metadata: { actor: 'org' } })).events);
      if (i % 2 === 0) stored.push(...(await ledger.executeCadreCommand(cadreId, { type: 'IssueCaution', data: { reason: '约谈后未整改', effectiveAt: '2026-08-01' }, metadata: { actor: 'org' } })).events);
    }
    const relay = new KafkaRelay({ pool, store, producer, publishV1: false, topics: { eventsV2: TOPIC } });
    await waitUntil(async () => {
      await relay.catchUp();
      return (await relay.checkpoint()) >= Math.max(...stored.map((e) => e.globalPosition));
    }, { timeoutMs: 30_000, description: 'the relay to publish everything' });
    await waitUntil(() => processed.size === stored.length, { timeoutMs: 60_000, description: 'every event to be projected' });

    expect([...processed.values()].filter((by) => by.length > 1)).toEqual([]);
    const byMember = new Set([...processed.values()].map((by) => by[0]));
    expect(byMember).toEqual(new Set(['replica-a', 'replica-b']));
    const { rows } = await pool.query('SELECT count(*)::int AS n, count(*) FILTER (WHERE NOT promotable)::int AS locked FROM reporting.cadre_eligibility');
    expect(rows[0]).toEqual({ n: 12, locked: 6 });

    const grouped = await readModelChecksum(pool);
    await rebuildReadModels({ pool, store, ruleBook, today: () => TODAY });
    expect(await readModelChecksum(pool)).toBe(grouped);
  });
});
