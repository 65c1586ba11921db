import { randomUUID } from 'node:crypto';
import { waitUntil } from '@cadre-ledger/platform';
import type { EventStore } from '../port';
import { newEvent, uniqueStream } from './fixtures';
import type { ContractContext } from './context';

/** `readStreams`: several streams, each from its own revision, as `readStream` would give them (port.ts). */
export function describeBatchRead(context: ContractContext): void {
  describe('reads several streams at once', () => {
    if (!context.batchReads) {
      it('is not offered (the store reads stream by stream, and cannot list its streams)', () => {
        expect([context.store().readStreams, context.store().listStreams, context.store().headPosition]).toEqual([undefined, undefined, undefined]);
      });
      return;
    }
    const readStreams = (...args: Parameters<NonNullable<EventStore['readStreams']>>) => {
      const store = context.store();
      if (!store.readStreams) throw new Error('the target declares readStreams, and has none');
      return store.readStreams(...args);
    };

    it('answers each stream from its revision, in the order asked, as readStream does; [] for a stream not there', async () => {
      const [a, b, missing] = [uniqueStream(), uniqueStream('unit'), uniqueStream()];
      await context.store().appendToStream(a, [newEvent(), newEvent(), newEvent()], { expectedRevision: 'no-stream' });
      await context.store().appendToStream(b, [newEvent(), newEvent()], { expectedRevision: 'no-stream' });

      const answer = await readStreams([{ stream: b }, { stream: missing }, { stream: a, fromRevision: 1 }]);

      expect(answer).toEqual([await context.store().readStream(b), [], await context.store().readStream(a, { fromRevision: 1 })]);
      expect(answer[2].map((e) => e.revision)).toEqual([1, 2]);
      expect(await readStreams([{ stream: a, fromRevision: 3 }])).toEqual([[]]);
      expect(await readStreams([])).toEqual([]);
    });

    it('lists stream names in order after a name, a page at a time, and knows the last position everyone can read', async () => {
      const prefix = `cadre-ls-${randomUUID()}`;
      const [a, b, c] = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
      for (const stream of [c, a, b]) await context.store().appendToStream(stream, [newEvent()], { expectedRevision: 'no-stream' });
      const last = (await context.store().appendToStream(a, [newEvent()], { expectedRevision: 0 })).events[0];

      expect(await context.store().listStreams!({ after: prefix, limit: 2 })).toEqual([a, b]);
      expect((await context.store().listStreams!({ after: b, limit: 5 }))[0]).toBe(c);
      expect((await context.store().listStreams!({ limit: 1 })).length).toBe(1);
      await waitUntil(async () => ((await context.store().headPosition!()) >= last.globalPosition ? true : undefined), { timeoutMs: context.waitTimeoutMs, description: 'the head position to reach the last append' });
    });

    it('refuses a stream named twice and a revision that is not a whole number', async () => {
      const stream = uniqueStream();
      await expect(readStreams([{ stream }, { stream, fromRevision: 2 }])).rejects.toBeInstanceOf(RangeError);
      await expect(readStreams([{ stream, fromRevision: -1 }])).rejects.toBeInstanceOf(RangeError);
    });
  });
}
