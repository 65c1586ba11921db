import { formatEpochMicros, toEpochMicros } from '../recorded-at';
import { newEvent, uniqueStream } from './fixtures';
import type { ContractContext } from './context';

/** `recordedAt` shifted by `micros`, still as RFC 3339 UTC with six fractional digits. */
function shifted(recordedAt: string, micros: bigint): string {
  return formatEpochMicros(toEpochMicros(recordedAt) + micros);
}

/** The same instant written in China Standard Time, `+08:00`. */
function inChinaStandardTime(recordedAt: string): string {
  const utc = formatEpochMicros(toEpochMicros(recordedAt) + 8n * 3_600_000_000n);
  return `${utc.slice(0, -1)}+08:00`;
}

export function describeKnownAt(context: ContractContext): void {
  describe('knownAt reads (the recorded time axis)', () => {
    it('returns the stream as it stood at a past moment, to the microsecond', async () => {
      const stream = uniqueStream();
      const [first] = (await context.store().appendToStream(stream, [newEvent()], { expectedRevision: 'no-stream' })).events;
      const [second] = (await context.store().appendToStream(stream, [newEvent()], { expectedRevision: 0 })).events;
      // A later append is recorded later, even within the same millisecond.
      expect(toEpochMicros(second.recordedAt)).toBeGreaterThan(toEpochMicros(first.recordedAt));

      const atFirst = await context.store().readStream(stream, { knownAt: first.recordedAt });
      const justBeforeFirst = await context.store().readStream(stream, { knownAt: shifted(first.recordedAt, -1n) });
      const justBeforeSecond = await context.store().readStream(stream, { knownAt: shifted(second.recordedAt, -1n) });
      const atSecond = await context.store().readStream(stream, { knownAt: second.recordedAt });

      expect(atFirst.map((event) => event.eventId)).toEqual([first.eventId]);
      expect(justBeforeFirst).toEqual([]);
      expect(justBeforeSecond.map((event) => event.eventId)).toEqual([first.eventId]);
      expect(atSecond.map((event) => event.eventId)).toEqual([first.eventId, second.eventId]);
    });

    it('reads the same instant the same way whatever its UTC offset', async () => {
      const stream = uniqueStream();
      const [first] = (await context.store().appendToStream(stream, [newEvent()], { expectedRevision: 'no-stream' })).events;
      await context.store().appendToStream(stream, [newEvent()], { expectedRevision: 0 });

      const read = await context.store().readStream(stream, { knownAt: inChinaStandardTime(first.recordedAt) });
      expect(read.map((event) => event.eventId)).toEqual([first.eventId]);
    });

    it('gives every event of one append the same recordedAt', async () => {
      const stream = uniqueStream();
      const { events } = await context.store().appendToStream(stream, [newEvent(), newEvent(), newEvent()], { expectedRevision: 'no-stream' });
      expect(new Set(events.map((event) => event.recordedAt)).size).toBe(1);
      const read = await context.store().readStream(stream, { knownAt: events[0].recordedAt });
      expect(read).toHaveLength(3);
    });
  });
}
