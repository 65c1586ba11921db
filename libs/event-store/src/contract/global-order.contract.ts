import type { StoredEvent } from '../port';
import { iterate, newEvent, readAllUntil, take, uniqueStream } from './fixtures';
import type { ContractContext } from './context';

const positions = (events: StoredEvent[]) => events.map((event) => event.globalPosition);
const ids = (events: StoredEvent[]) => events.map((event) => event.eventId);

function expectStrictlyIncreasing(values: number[]): void {
  for (let i = 1; i < values.length; i += 1) expect(values[i]).toBeGreaterThan(values[i - 1]);
}

export function describeGlobalOrder(context: ContractContext): void {
  describe('global order', () => {
    it('reads every stream in one order, append by append, from an exclusive position', async () => {
      const a = uniqueStream();
      const b = uniqueStream('unit');
      const first = (await context.store().appendToStream(a, [newEvent(), newEvent()], { expectedRevision: 'no-stream' })).events;
      const second = (await context.store().appendToStream(b, [newEvent()], { expectedRevision: 'no-stream' })).events;
      const third = (await context.store().appendToStream(a, [newEvent()], { expectedRevision: 1 })).events;
      const written = [...first, ...second, ...third];
      const streams = new Set([a, b]);

      const all = await readAllUntil(context.store(), first[0].globalPosition - 1, streams, 4, context.waitTimeoutMs);
      expect(ids(all)).toEqual(ids(written));
      expect(positions(all)).toEqual(positions(written));
      expectStrictlyIncreasing(positions(all));

      const afterFirst = await readAllUntil(context.store(), first[0].globalPosition, streams, 3, context.waitTimeoutMs);
      expect(ids(afterFirst)).toEqual(ids(written.slice(1)));
    });

    it('returns at most `limit` events per read', async () => {
      const stream = uniqueStream();
      const { events } = await context.store().appendToStream(stream, [newEvent(), newEvent(), newEvent()], { expectedRevision: 'no-stream' });
      await readAllUntil(context.store(), events[0].globalPosition - 1, new Set([stream]), 3, context.waitTimeoutMs);

      const page = await context.store().readAll({ fromPosition: events[0].globalPosition - 1, limit: 2 });
      expect(page).toHaveLength(2);
      expect(page[0].eventId).toBe(events[0].eventId);
    });
  });

  describe('subscribeToAll', () => {
    it('catches up on stored events, then follows live appends, in global order', async () => {
      const stream = uniqueStream();
      const before = (await context.store().appendToStream(stream, [newEvent(), newEvent()], { expectedRevision: 'no-stream' })).events;
      const subscription = context.store().subscribeToAll({ fromPosition: before[0].globalPosition - 1 });
      const iterator = iterate(subscription);
      const ours = (event: StoredEvent) => event.stream === stream;
      try {
        const caughtUp = await take(iterator, 2, ours, context.waitTimeoutMs);
        expect(ids(caughtUp)).toEqual(ids(before));

        const live = (await context.store().appendToStream(stream, [newEvent()], { expectedRevision: 1 })).events;
        const followed = await take(iterator, 1, ours, context.waitTimeoutMs);
        expect(ids(followed)).toEqual(ids(live));
        expect(followed[0].globalPosition).toBeGreaterThan(caughtUp[1].globalPosition);
        expect(followed[0]).toEqual(live[0]);
      } finally {
        await subscription.close();
      }
    });

    it('resumes after a given position without repeating what came before', async () => {
      const stream = uniqueStream();
      const events = (await context.store().appendToStream(stream, [newEvent(), newEvent(), newEvent()], { expectedRevision: 'no-stream' })).events;

      const subscription = context.store().subscribeToAll({ fromPosition: events[1].globalPosition });
      try {
        const resumed = await take(iterate(subscription), 1, (event) => event.stream === stream, context.waitTimeoutMs);
        expect(ids(resumed)).toEqual([events[2].eventId]);
      } finally {
        await subscription.close();
      }
    });

    it('ends iteration when closed', async () => {
      const subscription = context.store().subscribeToAll({ fromPosition: Number.MAX_SAFE_INTEGER - 1 });
      const iterator = iterate(subscription);
      const pending = iterator.next();
      await subscription.close();
      await expect(pending).resolves.toEqual({ done: true, value: undefined });
    });
  });
}
