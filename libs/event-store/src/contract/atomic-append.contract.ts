import { DuplicateEventIdConflict, MAX_EVENTS_PER_ATOMIC_APPEND, WrongExpectedRevision, type EventStore } from '../port';
import { newEvent, readAllUntil, uniqueStream, writtenContent } from './fixtures';
import type { ContractContext } from './context';

/** `appendToStreams`: several streams in one commit, all or none (port.ts). */
export function describeAtomicAppend(context: ContractContext): void {
  describe('appends to several streams at once', () => {
    if (!context.atomicAppend) {
      it('is not offered (the store cannot commit several streams at once)', () => {
        expect(context.store().appendToStreams).toBeUndefined();
      });
      return;
    }
    const appendToStreams = (...args: Parameters<NonNullable<EventStore['appendToStreams']>>) => {
      const store = context.store();
      if (!store.appendToStreams) throw new Error('the target declares appendToStreams, and has none');
      return store.appendToStreams(...args);
    };

    it('stores every part, chained and in the order given, as single appends would', async () => {
      const existing = uniqueStream();
      await context.store().appendToStream(existing, [newEvent()], { expectedRevision: 'no-stream' });
      const fresh = uniqueStream('unit');
      const parts = [
        { stream: fresh, events: [newEvent(), newEvent()], expectedRevision: 'no-stream' as const },
        { stream: existing, events: [newEvent()], expectedRevision: 0 },
      ];

      const results = await appendToStreams(parts);

      expect(results.map((r) => r.nextRevision)).toEqual([1, 1]);
      for (const [index, part] of parts.entries()) {
        const read = await context.store().readStream(part.stream);
        expect(read.slice(-part.events.length).map((e) => ({ ...writtenContent(part.stream, e), revision: e.revision }))).toEqual(
          part.events.map((e, i) => ({ ...writtenContent(part.stream, e), revision: results[index].nextRevision - part.events.length + 1 + i })),
        );
        expect(results[index].events.map((e) => e.hash)).toEqual(read.slice(-part.events.length).map((e) => e.hash));
        expect(await context.store().verifyStream(part.stream)).toMatchObject({ ok: true });
      }
      const positions = results.flatMap((r) => r.events.map((e) => e.globalPosition));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(new Set(positions).size).toBe(positions.length);
    });

    it('stores nothing when one part expects another revision', async () => {
      const stale = uniqueStream();
      await context.store().appendToStream(stale, [newEvent(), newEvent()], { expectedRevision: 'no-stream' });
      const fresh = uniqueStream();

      const error = await appendToStreams([
        { stream: fresh, events: [newEvent()], expectedRevision: 'no-stream' },
        { stream: stale, events: [newEvent()], expectedRevision: 0 },
      ]).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(WrongExpectedRevision);
      expect(error).toMatchObject({ stream: stale, expected: 0, actual: 1 });
      expect(await context.store().streamRevision(fresh)).toBe('no-stream');
      expect(await context.store().readStream(stale)).toHaveLength(2);
    });

    it('stores nothing when an event id is already stored, even with the same content', async () => {
      const first = uniqueStream();
      const stored = newEvent();
      await context.store().appendToStream(first, [stored], { expectedRevision: 'no-stream' });
      const fresh = uniqueStream();

      const error = await appendToStreams([
        { stream: fresh, events: [newEvent()], expectedRevision: 'no-stream' },
        { stream: first, events: [stored], expectedRevision: 0 },
      ]).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DuplicateEventIdConflict);
      expect(error).toMatchObject({ eventId: stored.eventId, stream: first });
      expect(await context.store().streamRevision(fresh)).toBe('no-stream');
      expect(await context.store().readStream(first)).toHaveLength(1);
    });

    it('refuses a stream twice, an event id twice and more events than it takes, before storing anything', async () => {
      const stream = uniqueStream();
      const other = uniqueStream();
      const twice = newEvent();
      await expect(appendToStreams([{ stream, events: [newEvent()], expectedRevision: 'no-stream' }, { stream, events: [newEvent()], expectedRevision: 0 }])).rejects.toBeInstanceOf(RangeError);
      await expect(appendToStreams([{ stream, events: [twice], expectedRevision: 'no-stream' }, { stream: other, events: [twice], expectedRevision: 'no-stream' }])).rejects.toBeInstanceOf(DuplicateEventIdConflict);
      const many = Array.from({ length: MAX_EVENTS_PER_ATOMIC_APPEND + 1 }, () => newEvent());
      await expect(appendToStreams([{ stream, events: many.slice(0, 10), expectedRevision: 'no-stream' }, { stream: other, events: many.slice(10), expectedRevision: 'no-stream' }])).rejects.toBeInstanceOf(RangeError);
      expect([await context.store().streamRevision(stream), await context.store().streamRevision(other)]).toEqual(['no-stream', 'no-stream']);
    });

    it('lets one of two racing calls on the same new stream win, and stores nothing of the other', async () => {
      const shared = uniqueStream();
      const own = [uniqueStream(), uniqueStream()];
      const outcomes = await Promise.allSettled(
        own.map((stream) =>
          appendToStreams([
            { stream, events: [newEvent()], expectedRevision: 'no-stream' },
            { stream: shared, events: [newEvent()], expectedRevision: 'no-stream' },
          ]),
        ),
      );

      const won = outcomes.findIndex((o) => o.status === 'fulfilled');
      const lost = outcomes.findIndex((o) => o.status === 'rejected');
      expect([won, lost].sort()).toEqual([0, 1]);
      expect((outcomes[lost] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevision);
      expect(await context.store().streamRevision(own[won])).toBe(0);
      expect(await context.store().streamRevision(own[lost])).toBe('no-stream');
      expect(await context.store().readStream(shared)).toHaveLength(1);
    });

    it('shows what it stored in the global order, in the order of the parts', async () => {
      const a = uniqueStream();
      const b = uniqueStream();
      const results = await appendToStreams([
        { stream: a, events: [newEvent()], expectedRevision: 'no-stream' },
        { stream: b, events: [newEvent(), newEvent()], expectedRevision: 'no-stream' },
      ]);
      const ids = results.flatMap((r) => r.events.map((e) => e.eventId));
      const seen = await readAllUntil(context.store(), results[0].events[0].globalPosition - 1, new Set([a, b]), ids.length, context.waitTimeoutMs);
      expect(seen.map((e) => e.eventId)).toEqual(ids);
    });
  });
}
