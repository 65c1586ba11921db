import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { waitFor } from '../../../../test/support/wait-for';
import { newEvent } from '../contract';
import type { StoredEvent } from '../port';
import { appendEvents } from './append';
import { PostgresEventStore } from './postgres-event-store';

jest.setTimeout(120_000);

const WRITERS = 8;
const ROUNDS = 20;

/** mulberry32: a seeded generator, so a failing interleaving of rollbacks can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let database: TestDatabase;
let store: PostgresEventStore;

beforeAll(async () => {
  database = await createTestDatabase('gap_free');
  // A safety poll longer than the test: delivery must come from notifications and the frontier.
  store = await PostgresEventStore.open({ connectionString: database.url, poolSize: WRITERS + 4, safetyPollMs: 600_000 });
});

afterAll(async () => {
  await store.close();
  await database.drop();
});

describe('global order with concurrent writers (PostgreSQL)', () => {
  it('delivers every committed event exactly once, in order, to a live subscriber, whatever commits late or rolls back', async () => {
    const seed = Number(process.env.GAP_FREE_SEED ?? Date.now() % 1_000_000);
    const random = seededRandom(seed);
    const run = randomUUID().slice(0, 8);
    const ours = (event: StoredEvent) => event.stream.includes(run);

    const start = (await store.appendToStream(`unit-start-${run}`, [newEvent()], { expectedRevision: 'no-stream' })).events[0];
    const subscription = store.subscribeToAll({ fromPosition: start.globalPosition });
    const delivered: StoredEvent[] = [];
    const following = (async () => {
      for await (const event of subscription) if (ours(event)) delivered.push(event);
    })();

    const committed: StoredEvent[] = [];
    let committedBelowLaterCommits = 0;

    async function writer(index: number): Promise<void> {
      // Its own connection, for transactions held open while the pool's appends commit past them.
      const held = new Client({ connectionString: database.url });
      await held.connect();
      try {
        for (let round = 0; round < ROUNDS; round += 1) {
          const hold = random() < 0.5;
          let heldEvents: StoredEvent[] = [];
          if (hold) {
            await held.query('BEGIN');
            heldEvents = (await appendEvents(held, `cadre-held-${run}-${index}-${round}`, [newEvent(), newEvent()], 'no-stream', 'v2-sha256')).events;
          }
          const passing: StoredEvent[] = [];
          for (let i = 0, n = 1 + Math.floor(random() * 2); i < n; i += 1) {
            const size = 1 + Math.floor(random() * 3);
            const batch = Array.from({ length: size }, () => newEvent());
            passing.push(...(await store.appendToStream(`cadre-${run}-${index}`, batch, { expectedRevision: 'any' })).events);
          }
          committed.push(...passing);
          if (!hold) continue;
          if (random() < 0.4) {
            await held.query('ROLLBACK');
          } else {
            await held.query('COMMIT');
            committed.push(...heldEvents);
            if (heldEvents[0].globalPosition < passing[0].globalPosition) committedBelowLaterCommits += 1;
          }
        }
      } finally {
        await held.end();
      }
    }

    try {
      await Promise.all(Array.from({ length: WRITERS }, (_, index) => writer(index)));
      // Everything before the end marker is delivered before it, so once it arrives nothing is late.
      const end = (await store.appendToStream(`unit-end-${run}`, [newEvent()], { expectedRevision: 'no-stream' })).events[0];
      await waitFor(() => delivered.some((event) => event.eventId === end.eventId), {
        timeoutMs: 60_000,
        description: `the end marker (seed ${seed}, ${delivered.length} of ${committed.length + 1} delivered)`,
      });
    } finally {
      await subscription.close();
      await following;
    }

    const deliveredEvents = delivered.filter((event) => !event.stream.startsWith('unit-end-'));
    const deliveredIds = deliveredEvents.map((event) => event.eventId);
    // The scenario this test exists for did happen: commits landing below positions already committed.
    expect(committedBelowLaterCommits).toBeGreaterThan(0);
    expect(new Set(deliveredIds).size).toBe(deliveredIds.length);
    expect(new Set(deliveredIds)).toEqual(new Set(committed.map((event) => event.eventId)));
    for (let i = 1; i < deliveredEvents.length; i += 1) {
      expect(deliveredEvents[i].globalPosition).toBeGreaterThan(deliveredEvents[i - 1].globalPosition);
    }
    const readBack = (await store.readAll({ fromPosition: start.globalPosition, limit: 10_000 })).filter(ours);
    expect(readBack.map((event) => event.eventId)).toEqual(delivered.map((event) => event.eventId));
  });
});
