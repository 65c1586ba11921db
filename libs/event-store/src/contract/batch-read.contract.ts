import type { EventStore } from '../port';
import { newEvent, uniqueStream } from './fixtures';
import type { ContractContext } from './context';

/** `readStreams`: several streams, each from its own revision, as `readStream` would give them (port.ts). */
export function describeBatchRead(context: ContractContext): void {
  describe('reads several streams at once', () => {
    if (!context.batchReads) {
      it('is not offered (the store reads stream by stream)', () => {
        expect(context.store().readStreams).toBeUndefined();
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

    it('refuses a stream named twice and a revision that is not a whole number', async () => {
      const stream = uniqueStream();
      await expect(readStreams([{ stream }, { stream, fromRevision: 2 }])).rejects.toBeInstanceOf(RangeError);
      await expect(readStreams([{ stream, fromRevision: -1 }])).rejects.toBeInstanceOf(RangeError);
    });
  });
}
