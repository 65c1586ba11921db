import { WrongExpectedRevision } from '../port';
import { newEvent, uniqueStream } from './fixtures';
import type { ContractContext } from './context';

export function describeConcurrency(context: ContractContext): void {
  describe('optimistic concurrency', () => {
    it('refuses a stale revision with WrongExpectedRevision naming both revisions, and stores nothing', async () => {
      const stream = uniqueStream();
      await context.store().appendToStream(stream, [newEvent(), newEvent()], { expectedRevision: 'no-stream' });

      const error = await context.store().appendToStream(stream, [newEvent()], { expectedRevision: 0 }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(WrongExpectedRevision);
      expect(error).toMatchObject({ stream, expected: 0, actual: 1, code: 'wrong-expected-revision' });
      expect(await context.store().readStream(stream)).toHaveLength(2);
    });

    it("refuses 'no-stream' on an existing stream and a revision on a missing one", async () => {
      const stream = uniqueStream();
      await context.store().appendToStream(stream, [newEvent()], { expectedRevision: 'no-stream' });

      await expect(context.store().appendToStream(stream, [newEvent()], { expectedRevision: 'no-stream' })).rejects.toMatchObject({
        name: 'WrongExpectedRevision',
        expected: 'no-stream',
        actual: 0,
      });
      const missing = uniqueStream();
      await expect(context.store().appendToStream(missing, [newEvent()], { expectedRevision: 0 })).rejects.toMatchObject({
        name: 'WrongExpectedRevision',
        expected: 0,
        actual: 'no-stream',
      });
      expect(await context.store().streamRevision(missing)).toBe('no-stream');
      expect(await context.store().readStream(stream)).toHaveLength(1);
    });

    it("appends with 'any' whatever the stream's revision", async () => {
      const stream = uniqueStream();
      await context.store().appendToStream(stream, [newEvent()], { expectedRevision: 'any' });
      const result = await context.store().appendToStream(stream, [newEvent()], { expectedRevision: 'any' });
      expect(result.nextRevision).toBe(1);
    });

    it('lets exactly one of several concurrent appends at the same revision win', async () => {
      const stream = uniqueStream();
      await context.store().appendToStream(stream, [newEvent()], { expectedRevision: 'no-stream' });

      const attempts = await Promise.allSettled(
        Array.from({ length: 6 }, () => context.store().appendToStream(stream, [newEvent(), newEvent()], { expectedRevision: 0 })),
      );

      const won = attempts.filter((attempt) => attempt.status === 'fulfilled');
      const lost = attempts.filter((attempt): attempt is PromiseRejectedResult => attempt.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(5);
      for (const attempt of lost) expect(attempt.reason).toBeInstanceOf(WrongExpectedRevision);
      const read = await context.store().readStream(stream);
      expect(read.map((event) => event.revision)).toEqual([0, 1, 2]);
      expect((await context.store().verifyStream(stream)).ok).toBe(true);
    });

    it("keeps a gap-free chain when concurrent appends all say 'any'", async () => {
      const stream = uniqueStream();
      await Promise.all(Array.from({ length: 6 }, () => context.store().appendToStream(stream, [newEvent()], { expectedRevision: 'any' })));
      const read = await context.store().readStream(stream);
      expect(read.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4, 5]);
      expect((await context.store().verifyStream(stream)).ok).toBe(true);
    });
  });
}
