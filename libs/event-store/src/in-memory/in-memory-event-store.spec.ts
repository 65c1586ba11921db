import { describeEventStoreContract, newEvent } from '../contract';
import { DuplicateEventIdConflict } from '../port';
import { InMemoryEventStore } from './in-memory-event-store';

describeEventStoreContract('in-memory', async () => {
  const store = new InMemoryEventStore();
  return {
    store,
    tamper: async (stream, revision, data) => store.tamper(stream, revision, data),
    dispose: async () => undefined,
  };
});

describe('in-memory event store, beyond the contract', () => {
  it('refuses an append that names the same event id twice, and stores nothing', async () => {
    const store = new InMemoryEventStore();
    const event = newEvent();
    await expect(store.appendToStream('cadre-1', [event, { ...event }], { expectedRevision: 'any' })).rejects.toBeInstanceOf(DuplicateEventIdConflict);
    expect(await store.streamRevision('cadre-1')).toBe('no-stream');
  });

  it('records appends at the injected clock, strictly increasing even when the clock stands still', async () => {
    const store = new InMemoryEventStore({ clockMicros: () => 1_795_334_400_000_000n });
    const first = await store.appendToStream('cadre-1', [newEvent()], { expectedRevision: 'no-stream' });
    const second = await store.appendToStream('cadre-1', [newEvent()], { expectedRevision: 0 });
    expect(first.events[0].recordedAt).toBe('2026-11-22T08:00:00.000000Z');
    expect(second.events[0].recordedAt).toBe('2026-11-22T08:00:00.000001Z');
  });
});
