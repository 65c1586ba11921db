import { formatEpochMicros, toEpochMicros } from './recorded-at';

describe('recordedAt at microsecond precision', () => {
  it('round-trips a UTC timestamp with microseconds', () => {
    expect(formatEpochMicros(toEpochMicros('2026-11-22T08:00:00.123456Z'))).toBe('2026-11-22T08:00:00.123456Z');
  });

  it('tells apart two instants in the same millisecond', () => {
    expect(toEpochMicros('2026-11-22T08:00:00.123457Z') - toEpochMicros('2026-11-22T08:00:00.123456Z')).toBe(1n);
  });

  it('reads offsets and short fractions', () => {
    expect(toEpochMicros('2026-11-22T16:00:00.5+08:00')).toBe(toEpochMicros('2026-11-22T08:00:00.500000Z'));
    expect(toEpochMicros('2026-11-22T08:00:00Z')).toBe(1_795_334_400_000_000n);
  });

  it('refuses what is not RFC 3339', () => {
    expect(() => toEpochMicros('2026-11-22')).toThrow(RangeError);
  });
});
