/**
 * What only the EventStoreDB adapter has to get right, proven through the real client against
 * the in-process stand-in (test/support/esdb-standin.ts), whose hooks make the hard paths
 * deterministic: a write landing between the adapter's read and its append, a stored event
 * altered behind the adapter's back, the server's own events in `$all`. The shared contract
 * suite covers the port's semantics; see eventstoredb.contract.int-spec.ts.
 */
import { randomUUID } from 'node:crypto';
import { EventStoreDBClient, START } from '@eventstore/db-client';
import { startEsdbStandIn, type EsdbStandIn } from '../../../../test/support/esdb-standin';
import { DuplicateEventIdConflict, WrongExpectedRevision, type NewEvent, type StoredEvent } from '../port';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

// Each append is several gRPC round trips (read, eventId claims, append, read back): keep clear of
// jest's 5 s default on a busy machine.
jest.setTimeout(30_000);

const newEvent = (overrides: Partial<NewEvent> = {}): NewEvent => ({
  eventId: randomUUID(),
  type: 'CadreCommended',
  effectiveAt: '2024-03-01',
  actor: 'hr-officer-7',
  documentRef: '组通字〔2024〕12号',
  data: { reason: '表现突出', level: 2 },
  ...overrides,
});

/** The next event, or a failure naming what was awaited once `ms` have passed. */
async function nextWithin(iterator: AsyncIterator<StoredEvent>, ms: number, what: string): Promise<IteratorResult<StoredEvent>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([iterator.next(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

describe('EventStoreDB adapter through the real client (stand-in server)', () => {
  let standIn: EsdbStandIn;
  let store: EventStoreDbEventStore;
  let other: EventStoreDbEventStore;

  beforeAll(async () => {
    standIn = await startEsdbStandIn();
    store = EventStoreDbEventStore.fromConnectionString(standIn.connectionString);
    other = EventStoreDbEventStore.fromConnectionString(standIn.connectionString);
  });
  afterEach(() => {
    standIn.beforeAppend = undefined;
  });
  afterAll(async () => {
    await store.close();
    await other.close();
    await standIn.close();
  });

  it('stores the ledger fields in metadata and takes recordedAt and globalPosition from the server', async () => {
    const stream = `cadre-${randomUUID()}`;
    const [first, second] = [newEvent(), newEvent({ documentRef: null, schemaVersion: 2 })];
    const { events, nextRevision } = await store.appendToStream(stream, [first, second], { expectedRevision: 'no-stream' });

    expect(nextRevision).toBe(1);
    expect(events.map((e) => [e.revision, e.eventId, e.documentRef, e.schemaVersion])).toEqual([
      [0, first.eventId, first.documentRef, 1],
      [1, second.eventId, null, 2],
    ]);
    // Positions are the server's sparse log offsets, not revisions or a dense counter.
    expect(events[1].globalPosition).toBeGreaterThan(events[0].globalPosition + 1);
    expect(Number.isNaN(Date.parse(events[0].recordedAt))).toBe(false);
    expect(await store.readStream(stream)).toEqual(events);

    const raw = EventStoreDBClient.connectionString(standIn.connectionString);
    try {
      const [recorded] = await collect(raw.readStream(stream, { maxCount: 1 }));
      expect(recorded.event?.metadata).toMatchObject({ effectiveAt: '2024-03-01', actor: 'hr-officer-7', prevHash: '0'.repeat(64), hash: events[0].hash });
      expect(recorded.event?.data).toEqual(first.data);
    } finally {
      await raw.dispose();
    }
  });

  it.each(['batch-append', 'append'] as const)(
    "maps the server's refusal (%s) to WrongExpectedRevision when a write lands between the adapter's read and its append",
    async (mode) => {
      const server = await startEsdbStandIn(mode);
      const [mine, theirs] = [EventStoreDbEventStore.fromConnectionString(server.connectionString), EventStoreDbEventStore.fromConnectionString(server.connectionString)];
      try {
        const stream = `cadre-${randomUUID()}`;
        const intruder = newEvent();
        server.beforeAppend = interveneOnce(stream, () => theirs.appendToStream(stream, [intruder], { expectedRevision: 'no-stream' }));

        const attempt = mine.appendToStream(stream, [newEvent()], { expectedRevision: 'no-stream' });

        await expect(attempt).rejects.toBeInstanceOf(WrongExpectedRevision);
        await expect(attempt).rejects.toMatchObject({ stream, expected: 'no-stream', actual: 0 });
        expect((await mine.readStream(stream)).map((e) => e.eventId)).toEqual([intruder.eventId]);
      } finally {
        await mine.close();
        await theirs.close();
        await server.close();
      }
    },
  );

  it("retries an 'any' append that lost that race, rebuilding the hash chain on the winner's event", async () => {
    const stream = `unit-${randomUUID()}`;
    const intruder = newEvent();
    standIn.beforeAppend = interveneOnce(stream, () => other.appendToStream(stream, [intruder], { expectedRevision: 'any' }));
    const mine = newEvent();

    const { events } = await store.appendToStream(stream, [mine], { expectedRevision: 'any' });

    expect(events.map((e) => [e.eventId, e.revision, e.prevHash])).toEqual([[mine.eventId, 1, (await store.readStream(stream))[0].hash]]);
    expect(await store.verifyStream(stream)).toEqual({ ok: true, checked: 2 });
  });

  it('answers the same batch sent twice at once with one stored result for both', async () => {
    const stream = `cadre-${randomUUID()}`;
    const batch = [newEvent(), newEvent()];

    const [first, second] = await Promise.all([
      store.appendToStream(stream, batch, { expectedRevision: 'no-stream' }),
      other.appendToStream(stream, batch, { expectedRevision: 'no-stream' }),
    ]);

    expect(second).toEqual(first);
    expect((await store.readStream(stream)).map((e) => e.eventId)).toEqual(batch.map((e) => e.eventId));
  });

  it("leaves the server's own events in $all out of readAll, and pages past a full read", async () => {
    const raw = EventStoreDBClient.connectionString(standIn.connectionString);
    try {
      const rawStreams = (await collect(raw.readAll({ fromPosition: START, maxCount: 5 }))).map((e) => e.event?.streamId);
      expect(rawStreams[0]).toBe('$settings');
    } finally {
      await raw.dispose();
    }
    const stream = `cadre-${randomUUID()}`;
    const start = await lastPosition(store);
    const batch = Array.from({ length: 600 }, () => newEvent()); // more than one page of $all
    await store.appendToStream(stream, batch, { expectedRevision: 'no-stream' });

    const read = await store.readAll({ fromPosition: start, limit: 1_000 });

    expect(read.map((e) => e.eventId)).toEqual(batch.map((e) => e.eventId));
    expect(read.every((e) => !e.stream.startsWith('$'))).toBe(true);
  });

  it('reads $all from a number that is no event position, which the server itself refuses', async () => {
    const stream = `unit-${randomUUID()}`;
    const { events } = await store.appendToStream(stream, [newEvent(), newEvent()], { expectedRevision: 'no-stream' });
    const madeUp = events[1].globalPosition - 1;
    const raw = EventStoreDBClient.connectionString(standIn.connectionString);
    try {
      await expect(collect(raw.readAll({ fromPosition: { commit: BigInt(madeUp), prepare: BigInt(madeUp) }, maxCount: 1 }))).rejects.toThrow();
    } finally {
      await raw.dispose();
    }

    const read = await store.readAll({ fromPosition: madeUp, limit: 1 });
    const subscription = store.subscribeToAll({ fromPosition: madeUp });
    try {
      expect(read.map((e) => e.eventId)).toEqual([events[1].eventId]);
      expect((await nextWithin(subscription[Symbol.asyncIterator](), 5_000, 'event after the made-up position')).value).toEqual(events[1]);
    } finally {
      await subscription.close();
    }
  });

  it('reports the first altered event when a stored event is modified on the server', async () => {
    const stream = `cadre-${randomUUID()}`;
    await store.appendToStream(stream, [newEvent(), newEvent(), newEvent()], { expectedRevision: 'no-stream' });
    standIn.tamperJson(stream, 1, ({ data }) => {
      data.level = 3;
    });

    const result = await store.verifyStream(stream);

    expect(result).toMatchObject({ ok: false, brokenAt: { stream, revision: 1 } });
  });

  it('round-trips an eventId that is not a UUID, and refuses a batch that is only partly stored', async () => {
    const stream = `cadre-${randomUUID()}`;
    const legacy = newEvent({ eventId: 'import:1998-04-17:0042' });
    await store.appendToStream(stream, [legacy], { expectedRevision: 'no-stream' });

    expect((await store.readStream(stream))[0].eventId).toBe('import:1998-04-17:0042');
    await expect(store.appendToStream(stream, [legacy, newEvent()], { expectedRevision: 'any' })).rejects.toBeInstanceOf(DuplicateEventIdConflict);
    expect(await store.streamRevision(stream)).toBe(0);
  });

  it('resumes a subscription strictly after a position, follows live appends, and ends a pending next() on close', async () => {
    const stream = `cadre-${randomUUID()}`;
    const { events } = await store.appendToStream(stream, [newEvent(), newEvent()], { expectedRevision: 'no-stream' });
    const subscription = store.subscribeToAll({ fromPosition: events[0].globalPosition });
    const iterator = subscription[Symbol.asyncIterator]();

    expect((await nextWithin(iterator, 5_000, 'caught-up event')).value).toEqual(events[1]);
    const live = newEvent();
    await store.appendToStream(stream, [live], { expectedRevision: 1 });
    expect((await nextWithin(iterator, 5_000, 'live event')).value).toMatchObject({ eventId: live.eventId, revision: 2 });

    const pending = iterator.next();
    await subscription.close();
    expect(await nextWithin({ next: () => pending }, 5_000, 'end after close')).toEqual({ done: true, value: undefined });
  });

  it('loses nothing when a subscriber falls behind by more than the adapter buffers', async () => {
    const stream = `cadre-${randomUUID()}`;
    const start = await lastPosition(store);
    const subscription = store.subscribeToAll({ fromPosition: start });
    const iterator = subscription[Symbol.asyncIterator]();
    try {
      // More events than the adapter buffers before pausing the gRPC stream.
      const written = (await store.appendToStream(stream, Array.from({ length: 700 }, () => newEvent()), { expectedRevision: 'no-stream' })).events;
      const received: StoredEvent[] = [];
      while (received.length < written.length) received.push((await nextWithin(iterator, 10_000, `event ${received.length + 1}`)).value);
      expect(received.map((e) => e.eventId)).toEqual(written.map((e) => e.eventId));
    } finally {
      await subscription.close();
    }
  });

  it('fails the iteration, after what already arrived, when the server goes away', async () => {
    const server = await startEsdbStandIn();
    const client = EventStoreDbEventStore.fromConnectionString(server.connectionString);
    const { events } = await client.appendToStream(`cadre-${randomUUID()}`, [newEvent()], { expectedRevision: 'no-stream' });
    const subscription = client.subscribeToAll();
    const iterator = subscription[Symbol.asyncIterator]();
    try {
      expect((await nextWithin(iterator, 5_000, 'caught-up event')).value).toEqual(events[0]);
      await server.close();
      const failure = await nextWithin(iterator, 5_000, 'failure').then(
        (result) => new Error(`iteration went on: ${JSON.stringify(result)}`),
        (error: Error) => error,
      );
      expect(failure.message).not.toMatch(/^(no failure within|iteration went on)/);
    } finally {
      await subscription.close();
      await client.close();
    }
  });

  it.each([
    ['batch-append', 'BatchAppend', 'Append'],
    ['append', 'Append', 'BatchAppend'],
  ] as const)('in %s mode, appends through %s: the wire path the contract then judges', async (mode, used, unused) => {
    const server = await startEsdbStandIn(mode);
    const client = EventStoreDbEventStore.fromConnectionString(server.connectionString);
    try {
      await client.appendToStream(`cadre-${randomUUID()}`, [newEvent()], { expectedRevision: 'no-stream' });
      expect(server.calls[used]).toBeGreaterThan(0);
      expect(server.calls[unused]).toBe(0);
      expect(server.calls.GetSupportedMethods).toBe(mode === 'batch-append' ? 1 : 0);
    } finally {
      await client.close();
      await server.close();
    }
  });
});

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

/** The global position of the newest ledger event, or 0. */
async function lastPosition(store: EventStoreDbEventStore): Promise<number> {
  let position = 0;
  for (let page = await store.readAll({ limit: 1_000 }); page.length > 0; page = await store.readAll({ fromPosition: position, limit: 1_000 })) {
    position = page[page.length - 1].globalPosition;
  }
  return position;
}

/**
 * A beforeAppend hook that runs `write` when the first append to `stream` reaches the server,
 * and never again (`write` is an append to `stream` too). Other appends, such as the adapter's
 * eventId claims, pass untouched.
 */
function interveneOnce(stream: string, write: () => Promise<unknown>): (target: string) => Promise<void> {
  let done = false;
  return async (target) => {
    if (done || target !== stream) return;
    done = true;
    await write();
  };
}
