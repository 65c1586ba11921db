import { DuplicateEventIdConflict } from '../port';
import { newEvent, uniqueStream } from './fixtures';
import type { ContractContext } from './context';

export function describeIdempotency(context: ContractContext): void {
  describe('idempotent re-append', () => {
    it('returns the stored result for the same events re-sent, even at a now stale revision, and stores no duplicate', async () => {
      const stream = uniqueStream();
      const batch = [newEvent(), newEvent()];
      const first = await context.store().appendToStream(stream, batch, { expectedRevision: 'no-stream' });
      await context.store().appendToStream(stream, [newEvent()], { expectedRevision: 1 });

      // A client whose first attempt succeeded but whose answer was lost sends it again.
      const again = await context.store().appendToStream(stream, batch.map((event) => ({ ...event, data: { ...event.data } })), {
        expectedRevision: 'no-stream',
      });

      expect(again.events).toEqual(first.events);
      expect(again.nextRevision).toBe(1);
      expect(await context.store().readStream(stream)).toHaveLength(3);
    });

    it('treats data with its keys in another order as the same content', async () => {
      const stream = uniqueStream();
      const event = newEvent({ data: { a: 1, b: '乙' } });
      const first = await context.store().appendToStream(stream, [event], { expectedRevision: 'any' });
      const again = await context.store().appendToStream(stream, [{ ...event, data: { b: '乙', a: 1 } }], { expectedRevision: 'any' });
      expect(again.events).toEqual(first.events);
      expect(await context.store().readStream(stream)).toHaveLength(1);
    });

    it('refuses a stored event id with different content, and changes nothing', async () => {
      const stream = uniqueStream();
      const event = newEvent();
      await context.store().appendToStream(stream, [event], { expectedRevision: 'no-stream' });

      const error = await context
        .store()
        .appendToStream(stream, [{ ...event, data: { ...event.data, grade: '记功' } }], { expectedRevision: 0 })
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DuplicateEventIdConflict);
      expect(error).toMatchObject({ eventId: event.eventId, code: 'duplicate-event-id' });
      const read = await context.store().readStream(stream);
      expect(read).toHaveLength(1);
      expect(read[0].data).toEqual(event.data);
    });

    it('refuses a stored event id sent to another stream', async () => {
      const stream = uniqueStream();
      const event = newEvent();
      await context.store().appendToStream(stream, [event], { expectedRevision: 'no-stream' });
      const other = uniqueStream();

      await expect(context.store().appendToStream(other, [event], { expectedRevision: 'any' })).rejects.toBeInstanceOf(DuplicateEventIdConflict);
      expect(await context.store().streamRevision(other)).toBe('no-stream');
    });
  });
}
