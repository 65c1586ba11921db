import { randomUUID } from 'node:crypto';
import { InMemoryEventStore, WrongExpectedRevision, type EventStore, type NewEvent } from '@cadre-ledger/event-store';
import { appendPending, pendingOf } from './append';
import { viewOf, type StreamView } from './views';

/** How the intake hands its accepted events to the store: many streams per commit where it can. */
const event = (n: number): NewEvent => ({ eventId: randomUUID(), type: 'TalkHeld', effectiveAt: '2024-01-01', actor: 'hr', data: { n } });

function pendingView(stream: string, count: number, from = 0): StreamView {
  const view = viewOf(stream, []);
  view.pending = Array.from({ length: count }, (_, i) => ({ event: event(i), line: i + 1, revision: from + i }));
  return view;
}

const stored = async (store: EventStore, views: StreamView[]) => (await Promise.all(views.map((v) => store.readStream(v.stream)))).map((s) => s.length);

describe('appending what the intake accepted', () => {
  it('commits many streams at once, never more than a thousand events a commit, each stream whole', async () => {
    const store = new InMemoryEventStore();
    const calls: number[][] = [];
    const atomic = store.appendToStreams.bind(store);
    store.appendToStreams = async (parts) => {
      calls.push(parts.map((p) => p.events.length));
      return atomic(parts);
    };
    const views = Array.from({ length: 250 }, (_, i) => pendingView(`cadre-${i}`, 1 + (i % 9)));
    const seen: string[] = [];

    await appendPending(store, pendingOf(views), ({ view }) => seen.push(view.stream));

    const total = views.reduce((n, v) => n + v.pending.length, 0);
    expect(calls.flat().reduce((a, b) => a + b, 0)).toBe(total);
    expect(Math.max(...calls.map((c) => c.reduce((a, b) => a + b, 0)))).toBeLessThanOrEqual(1000);
    expect(calls.length).toBeLessThan(views.length / 10);
    expect(await stored(store, views)).toEqual(views.map((v) => v.pending.length));
    expect(seen.sort()).toEqual(views.map((v) => v.stream).sort());
  });

  it('appends stream by stream on a store that cannot commit several at once', async () => {
    const store = new InMemoryEventStore();
    const single: EventStore = { ...bindAll(store), appendToStreams: undefined };
    const views = [pendingView('cadre-a', 3), pendingView('cadre-b', 2)];
    await appendPending(single, pendingOf(views), () => undefined);
    expect(await stored(store, views)).toEqual([3, 2]);
  });

  it('splits a stream larger than one commit takes into several appends, in order', async () => {
    const store = new InMemoryEventStore();
    const view = pendingView('cadre-big', 5000);
    await appendPending(store, pendingOf([view]), () => undefined);
    const read = await store.readStream('cadre-big');
    expect(read.map((e) => e.data.n)).toEqual(view.pending.map((p) => p.event.data.n));
  });

  it('appends a refused group stream by stream: what an earlier run stored is recognised, a real conflict raised', async () => {
    const store = new InMemoryEventStore();
    const views = [pendingView('cadre-a', 2), pendingView('cadre-b', 2)];
    // Another run stored cadre-b's events already (the same ones): the commit is refused, the re-send is not.
    await store.appendToStream('cadre-b', views[1].pending.map((p) => p.event), { expectedRevision: 'no-stream' });
    await appendPending(store, pendingOf(views), () => undefined);
    expect(await stored(store, views)).toEqual([2, 2]);

    const moved = [pendingView('cadre-c', 1), pendingView('cadre-d', 1)];
    await store.appendToStream('cadre-d', [event(9)], { expectedRevision: 'no-stream' });
    await expect(appendPending(store, pendingOf(moved), () => undefined)).rejects.toBeInstanceOf(WrongExpectedRevision);
    // With a handler, the stream that cannot be appended is handed over and the others are stored.
    const again = [pendingView('cadre-e', 1), pendingView('cadre-d', 1)];
    const failures: string[] = [];
    await appendPending(store, pendingOf(again), () => undefined, ({ view }, error) => failures.push(`${view.stream}: ${(error as Error).name}`));
    expect(failures).toEqual(['cadre-d: WrongExpectedRevision']);
    expect(await store.streamRevision('cadre-e')).toBe(0);
  });
});

/** The store's methods as own properties, so one can be taken away. */
function bindAll(store: InMemoryEventStore): EventStore {
  return {
    hashAlgorithm: store.hashAlgorithm,
    appendToStream: store.appendToStream.bind(store),
    readStream: store.readStream.bind(store),
    readAll: store.readAll.bind(store),
    subscribeToAll: store.subscribeToAll.bind(store),
    verifyStream: store.verifyStream.bind(store),
    streamRevision: store.streamRevision.bind(store),
    close: store.close.bind(store),
  };
}
