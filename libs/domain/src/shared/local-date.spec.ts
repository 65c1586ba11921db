import fc from 'fast-check';
import { LocalDate as JodaDate, OffsetDateTime } from '@js-joda/core';
import { isLocalDate, isTimestamp } from './local-date';

/** What js-joda's parsers accept, which the arithmetic checks must answer exactly (they replaced them for speed). */
const jodaDate = (s: string) => {
  try {
    JodaDate.parse(s);
    return true;
  } catch {
    return false;
  }
};
const jodaTimestamp = (s: string) => {
  try {
    OffsetDateTime.parse(s.toUpperCase());
    return true;
  } catch {
    return false;
  }
};

const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
const year = fc.oneof(fc.constantFrom('0000', '1900', '2000', '2024', '2100', '2400', '9999'), fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')));
const date = fc.tuple(year, two(13), two(32)).map(([y, m, d]) => `${y}-${m}-${d}`);

describe('dates and timestamps, checked by arithmetic', () => {
  it('accepts exactly the dates js-joda accepts (leap years, month lengths, month and day 00)', () => {
    fc.assert(fc.property(date, (s) => isLocalDate(s) === jodaDate(s)), { numRuns: 20_000 });
    expect(['2024-02-29', '2000-02-29', '2023-02-28', '2021-04-30'].every(isLocalDate)).toBe(true);
    expect(['1900-02-29', '2023-02-29', '2021-04-31', '2021-13-01', '2021-00-10', '2021-01-00', '2021-1-01', 20210101].some(isLocalDate)).toBe(false);
  });

  it('accepts exactly the RFC 3339 timestamps js-joda accepts (hours, minutes, seconds, offsets up to ±18:00)', () => {
    const timestamp = fc
      .tuple(date, two(25), two(61), two(61), fc.option(fc.integer({ min: 0, max: 999999999 }).map((n) => `.${n}`), { nil: '' }), fc.oneof(fc.constantFrom('Z', 'z'), fc.tuple(fc.constantFrom('+', '-'), two(19), two(61)).map(([sign, h, m]) => `${sign}${h}:${m}`)))
      .map(([d, h, m, s, fraction, zone]) => `${d}T${h}:${m}:${s}${fraction}${zone}`);
    fc.assert(fc.property(timestamp, (s) => isTimestamp(s) === jodaTimestamp(s)), { numRuns: 20_000 });
    expect(isTimestamp('2026-11-22T08:00:00.123456Z')).toBe(true);
    expect(isTimestamp('2026-11-22T24:00:00Z')).toBe(false);
  });
});
