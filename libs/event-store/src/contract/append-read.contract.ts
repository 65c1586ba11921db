import fc from 'fast-check';
import { chainHash, GENESIS_HASH, type HashFormat } from '../hash-chain';
import { DuplicateEventIdConflict, WrongExpectedRevision } from '../port';
import { arbitraryNewEvent, contentOf, newEvent, RFC3339_UTC_MICROS, uniqueStream, writtenContent } from './fixtures';
import type { ContractContext } from './context';

export function describeAppendAndRead(context: ContractContext): void {
  describe('append and read', () => {
    it('reads back what was written, with revisions from 0, a hash chain and store-assigned fields', async () => {
      const stream = uniqueStream();
      const written = [newEvent(), newEvent({ documentRef: undefined, schemaVersion: undefined }), newEvent()];

      const result = await context.store().appendToStream(stream, written, { expectedRevision: 'no-stream' });
      const read = await context.store().readStream(stream);

      expect(read.map(contentOf)).toEqual(written.map((event) => writtenContent(stream, event)));
      expect(read.map((event) => event.revision)).toEqual([0, 1, 2]);
      expect(read[1].schemaVersion).toBe(1);
      expect(read[1].documentRef).toBeNull();
      expect(result.events).toEqual(read);
      expect(result.nextRevision).toBe(2);
      expect(await context.store().streamRevision(stream)).toBe(2);
      for (const [index, event] of read.entries()) {
        expect(event.recordedAt).toMatch(RFC3339_UTC_MICROS);
        expect(event.globalPosition).toBeGreaterThan(0);
        expect(event.prevHash).toBe(index === 0 ? GENESIS_HASH : read[index - 1].hash);
        expect(event.hash).toBe(chainHash(event.prevHash, event, event.hashFormat as HashFormat));
        expect(event.hashFormat).toBe(`v2-${context.store().hashAlgorithm}`);
      }
      expect(read[1].globalPosition).toBeGreaterThan(read[0].globalPosition);
      expect(read[2].globalPosition).toBeGreaterThan(read[1].globalPosition);
    });

    it("returns copies of the data: the caller's later changes reach neither the answer nor the store", async () => {
      const stream = uniqueStream();
      const written = newEvent({ data: { cadreId: 'c-1', nested: { grade: 'excellent' } } });
      const result = await context.store().appendToStream(stream, [written], { expectedRevision: 'no-stream' });
      (written.data.nested as Record<string, unknown>).grade = 'poor';
      written.data.cadreId = 'c-2';

      const [returned] = result.events;
      expect(returned.data).toEqual({ cadreId: 'c-1', nested: { grade: 'excellent' } });
      expect({ ...returned }.data).toEqual(returned.data);
      expect(JSON.parse(JSON.stringify(returned))).toEqual(JSON.parse(JSON.stringify((await context.store().readStream(stream))[0])));
    });

    it('reads from a revision, and continues a stream at the expected revision', async () => {
      const stream = uniqueStream();
      await context.store().appendToStream(stream, [newEvent(), newEvent()], { expectedRevision: 'no-stream' });
      const third = newEvent();
      const result = await context.store().appendToStream(stream, [third], { expectedRevision: 1 });

      expect(result.nextRevision).toBe(2);
      expect(result.events[0].revision).toBe(2);
      const tail = await context.store().readStream(stream, { fromRevision: 1 });
      expect(tail.map((event) => event.revision)).toEqual([1, 2]);
      expect(tail[1].eventId).toBe(third.eventId);
    });

    it('answers [] and no-stream for a stream that does not exist', async () => {
      const stream = uniqueStream('unit');
      expect(await context.store().readStream(stream)).toEqual([]);
      expect(await context.store().streamRevision(stream)).toBe('no-stream');
    });

    it('returns what was written for any batch of events, Chinese text included (property)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(arbitraryNewEvent, { minLength: 1, maxLength: 5 }), async (written) => {
          const stream = uniqueStream();
          const result = await context.store().appendToStream(stream, written, { expectedRevision: 'no-stream' });
          const read = await context.store().readStream(stream);
          expect(read.map(contentOf)).toEqual(written.map((event) => writtenContent(stream, event)));
          expect(result.events.map(contentOf)).toEqual(read.map(contentOf));
          expect((await context.store().verifyStream(stream)).ok).toBe(true);
        }),
        { numRuns: 30 },
      );
    });
  });

  describe('atomic appends', () => {
    it('stores none of a batch whose expected revision is wrong', async () => {
      const stream = uniqueStream();
      await context.store().appendToStream(stream, [newEvent()], { expectedRevision: 'no-stream' });

      await expect(
        context.store().appendToStream(stream, [newEvent(), newEvent(), newEvent()], { expectedRevision: 5 }),
      ).rejects.toBeInstanceOf(WrongExpectedRevision);
      expect(await context.store().readStream(stream)).toHaveLength(1);
    });

    it('stores none of a batch when one of its events conflicts with a stored event id', async () => {
      const elsewhere = uniqueStream();
      const [taken] = (await context.store().appendToStream(elsewhere, [newEvent()], { expectedRevision: 'no-stream' })).events;
      const stream = uniqueStream();
      const batch = [newEvent(), newEvent(), newEvent({ eventId: taken.eventId })];

      await expect(context.store().appendToStream(stream, batch, { expectedRevision: 'no-stream' })).rejects.toBeInstanceOf(DuplicateEventIdConflict);
      expect(await context.store().readStream(stream)).toEqual([]);
      expect(await context.store().streamRevision(stream)).toBe('no-stream');
    });
  });
}
