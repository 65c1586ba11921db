import { randomUUID } from 'node:crypto';
import { InMemoryEventStore, type EventStore, type NewEvent } from '@cadre-ledger/event-store';
import { StreamCache } from './stream-cache';

const event = (n: number): NewEvent => ({ eventId: randomUUID(), type: 'TalkHeld', effectiveAt: '2024-01-01', actor: 'hr', data: { n } });

/** A store that counts what it was asked to read, and how much it answered. */
function counting(store: InMemoryEventStore) {
  const asked: { stream: string; fromRevision?: number }[][] = [];
  let rows = 0;
  const wrapped: EventStore = Object.create(store) as EventStore;
  wrapped.readStreams = async (reads) => {
    asked.push(reads.map((r) => ({ ...r })));
    const answer = await store.readStreams(reads);
    rows += answer.flat().length;
    return answer;
  };
  return { store: wrapped, asked, rows: () => rows };
}

describe('the stream cache', () => {
  it('reads only what was appended since, whoever appended it, and answers the store\'s current stream', async () => {
    const memory = new InMemoryEventStore();
    await memory.appendToStream('cadre-a', [event(0), event(1)], { expectedRevision: 'no-stream' });
    const { store, asked, rows } = counting(memory);
    const cache = new StreamCache(store);

    const [first] = await cache.read(['cadre-a']);
    // Another writer (another replica, the CLI) appends behind the cache's back.
    await memory.appendToStream('cadre-a', [event(2)], { expectedRevision: 1 });
    const [second] = await cache.read(['cadre-a']);

    expect(first.revision).toBe(1);
    expect(second.events).toEqual(await memory.readStream('cadre-a'));
    expect(second.facts.map((f) => (f.data as unknown as { n: number }).n)).toEqual([0, 1, 2]);
    expect(asked).toEqual([[{ stream: 'cadre-a', fromRevision: 0 }], [{ stream: 'cadre-a', fromRevision: 2 }]]);
    expect(rows()).toBe(3);
    // The first snapshot still shows the stream as it was when read.
    expect(first.events).toHaveLength(2);
  });

  it('reads several streams in one round trip, in the order asked, a missing one as revision -1', async () => {
    const memory = new InMemoryEventStore();
    await memory.appendToStream('unit-u', [event(0)], { expectedRevision: 'no-stream' });
    const { store, asked } = counting(memory);
    const snapshots = await new StreamCache(store).read(['unit-u', 'cadre-none', 'unit-u']);
    expect(snapshots.map((s) => [s.stream, s.revision])).toEqual([['unit-u', 0], ['cadre-none', -1], ['unit-u', 0]]);
    expect(asked).toHaveLength(1);
  });

  it('keeps events it was told this process appended, and a value derived at a revision', async () => {
    const memory = new InMemoryEventStore();
    const cache = new StreamCache(memory);
    await memory.appendToStream('cadre-b', [event(0)], { expectedRevision: 'no-stream' });
    const [before] = await cache.read(['cadre-b']);
    const appended = await memory.appendToStream('cadre-b', [event(1)], { expectedRevision: 0 });
    cache.remember('cadre-b', appended.events);

    let derivations = 0;
    const sum = (s: typeof before) =>
      cache.derived<number>(s, 'sum', (earlier) => {
        derivations += 1;
        const from = earlier ? earlier.revision + 1 : 0;
        return (earlier?.value ?? 0) + s.facts.slice(from).reduce((n, f) => n + (f.data as unknown as { n: number }).n + 1, 0);
      });
    expect(sum(before)).toBe(1);
    const [after] = await cache.read(['cadre-b']);
    expect(after.revision).toBe(1);
    expect(sum(after)).toBe(3);
    expect(sum(after)).toBe(3);
    expect(derivations).toBe(2);
  });

  it('holds at most its capacity, dropping the streams read longest ago, and reads a dropped one whole again', async () => {
    const memory = new InMemoryEventStore();
    for (const s of ['cadre-1', 'cadre-2', 'cadre-3']) await memory.appendToStream(s, [event(0), event(1)], { expectedRevision: 'no-stream' });
    const { store, asked } = counting(memory);
    const cache = new StreamCache(store, 4);
    await cache.read(['cadre-1']);
    await cache.read(['cadre-2']);
    await cache.read(['cadre-3']);
    expect(cache.size).toBeLessThanOrEqual(4);
    const [again] = await cache.read(['cadre-1']);
    expect(again.events).toHaveLength(2);
    expect(asked[3]).toEqual([{ stream: 'cadre-1', fromRevision: 0 }]);
  });

  it('with capacity 0 keeps nothing and still answers', async () => {
    const memory = new InMemoryEventStore();
    await memory.appendToStream('cadre-z', [event(0)], { expectedRevision: 'no-stream' });
    const cache = new StreamCache(memory, 0);
    expect((await cache.read(['cadre-z']))[0].events).toHaveLength(1);
    expect((await cache.read(['cadre-z']))[0].events).toHaveLength(1);
    expect(cache.size).toBe(0);
  });
});
