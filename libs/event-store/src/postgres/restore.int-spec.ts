import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { newEvent, uniqueStream } from '../contract';
import { chainHash, GENESIS_HASH } from '../hash-chain';
import type { StoredEvent } from '../port';
import { PostgresEventStore } from './postgres-event-store';
import { RestoreRefused, type RestoreItem } from './restore';
import { POSITION_TX_SHIFT } from './schema';

jest.setTimeout(60_000);

/** A chained stream as another store exported it, at positions far above this cluster's transaction ids. */
function exported(stream: string, count: number, firstPosition: number, format: 'v2-sha256' | 'v1' = 'v2-sha256'): StoredEvent[] {
  let prevHash = GENESIS_HASH;
  return Array.from({ length: count }, (_, revision) => {
    const base = { eventId: randomUUID(), type: 'TalkHeld', schemaVersion: 1, stream, revision, effectiveAt: '2021-03-01', actor: 'zzb', documentRef: null, data: { kind: 'reminder', reason: `谈话 ${revision}` } };
    const hash = chainHash(prevHash, base, format);
    const event: StoredEvent = { ...base, globalPosition: firstPosition + revision, recordedAt: `2021-03-0${revision + 1}T08:00:00.12345${revision}Z`, prevHash, hash, hashFormat: format };
    prevHash = hash;
    return event;
  });
}

async function* batches(events: StoredEvent[]): AsyncGenerator<RestoreItem[]> {
  yield events.map((event, i) => ({ at: i + 1, event }));
}

describe('restore (PostgreSQL)', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase('restore');
  });
  afterEach(() => db.drop());

  it('keeps positions, recordedAt and hashes, makes them visible, and puts new appends after them', async () => {
    const far = (await nextXid(db.url)) + 5_000_000;
    const stream = uniqueStream();
    const events = exported(stream, 3, far * 2 ** POSITION_TX_SHIFT);
    const store = await PostgresEventStore.open({ connectionString: db.url });
    try {
      expect(await store.restore(batches(events))).toEqual({ events: 3, streams: 1, lastPosition: events[2].globalPosition, formats: { 'v2-sha256': 3 } });
      expect(await store.readAll({ fromPosition: 0, limit: 10 })).toEqual(events);
      const [appended] = (await store.appendToStream(stream, [newEvent()], { expectedRevision: 2 })).events;
      expect(appended.globalPosition).toBeGreaterThan(events[2].globalPosition);
      expect(appended.prevHash).toBe(events[2].hash);
      expect((await store.verifyStream(stream)).ok).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('refuses, writing nothing: a broken chain, a gap, positions out of order, a recordedAt not in the store\'s form, another algorithm', async () => {
    const store = await PostgresEventStore.open({ connectionString: db.url });
    try {
      const base = exported(uniqueStream(), 3, 1_000_000);
      const cases: [StoredEvent[], RegExp][] = [
        [[base[0], { ...base[1], actor: 'forged' }, base[2]], /content does not match its hash/],
        [[base[0], base[2]], /revision 1 of .* is missing/],
        [[base[0], { ...base[1], globalPosition: base[0].globalPosition }, base[2]], /does not come after/],
        [[{ ...base[0], recordedAt: '2021-03-01T16:00:00.123450+08:00' }], /not in the store's form/],
        [exported(uniqueStream(), 1, 5, 'v1').map((e) => ({ ...e, hashFormat: 'v2-sm3', hash: chainHash(e.prevHash, e, 'v2-sm3') })), /not of this store's algorithm \(sha256\)/],
      ];
      for (const [events, message] of cases) {
        const refusal = await store.restore(batches(events)).catch((error: unknown) => error);
        expect(refusal).toBeInstanceOf(RestoreRefused);
        expect((refusal as Error).message).toMatch(message);
        if (events.length === 3 && events[1].actor === 'forged') expect((refusal as RestoreRefused).at).toBe(2);
        expect(await store.readAll({ fromPosition: 0, limit: 10 })).toEqual([]);
      }
      // v1 events of an old store are restored as v1, and the store records where they end.
      const v1 = exported(uniqueStream(), 2, 10, 'v1');
      await store.restore(batches(v1));
      const client = new Client({ connectionString: db.url });
      await client.connect();
      const meta = await client.query("SELECT value FROM ledger_store_meta WHERE name = 'v1-events-until-position'");
      await client.end();
      expect(meta.rows).toEqual([{ value: String(v1[1].globalPosition) }]);
      const again = await store.restore(batches(exported(uniqueStream(), 1, 100))).catch((error: unknown) => error);
      expect((again as Error).message).toContain('already holds events');
    } finally {
      await store.close();
    }
  });
});

async function nextXid(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ xid: string }>('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xid');
    return Number(rows[0].xid);
  } finally {
    await client.end();
  }
}
