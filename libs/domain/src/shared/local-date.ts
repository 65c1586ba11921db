import { ChronoUnit, Instant, LocalDate as JodaDate, OffsetDateTime, ZoneOffset } from '@js-joda/core';

/**
 * Calendar dates (`YYYY-MM-DD`, China Standard Time) travel as plain strings: ISO dates compare
 * correctly as strings, which keeps the hot paths free of parsing. Arithmetic and validation go
 * through js-joda, whose `plusMonths` clamps to the month's end exactly as RULEBOOK.md asks.
 */
export type LocalDate = string;

/** An RFC 3339 timestamp string, e.g. `2026-11-22T08:00:00.123456Z`. */
export type Timestamp = string;

const LOCAL_DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date in `YYYY-MM-DD` form (2021-02-30 is not one). */
export function isLocalDate(value: unknown): value is LocalDate {
  return typeof value === 'string' && LOCAL_DATE_SHAPE.test(value) && isCalendarDate(+value.slice(0, 4), +value.slice(5, 7), +value.slice(8, 10));
}

/**
 * The proleptic Gregorian calendar's rule (js-joda's and ISO 8601's), checked by arithmetic: the
 * validity checks run on every date of every request and import line, where parsing cost most of
 * the time (local-date.spec.ts holds it to js-joda's answer).
 */
function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  if (month !== 2) return day <= (month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (leap ? 29 : 28);
}

/** D + N calendar months, clamped to the month's last day (2020-02-29 + 12 → 2021-02-28). */
export function plusMonths(date: LocalDate, months: number): LocalDate {
  const key = `${date}|${months}`;
  let result = monthsCache.get(key);
  if (result === undefined) {
    result = JodaDate.parse(date).plusMonths(months).toString();
    if (monthsCache.size >= CACHE_LIMIT) monthsCache.clear();
    monthsCache.set(key, result);
  }
  return result;
}

// Parsing dominates evaluation time, and histories reuse few dates: memoise the pure function.
const CACHE_LIMIT = 100_000;
const monthsCache = new Map<string, LocalDate>();

/** D + N days. */
export function plusDays(date: LocalDate, days: number): LocalDate {
  return JodaDate.parse(date).plusDays(days).toString();
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return JodaDate.parse(from).until(JodaDate.parse(to), ChronoUnit.DAYS);
}

export function yearOf(date: LocalDate): number {
  return Number(date.slice(0, 4));
}

/** 1 January of a year, as a date. */
export function yearStart(year: number): LocalDate {
  return JodaDate.of(year, 1, 1).toString();
}

const RFC3339_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

export function isTimestamp(value: unknown): value is Timestamp {
  if (typeof value !== 'string' || !RFC3339_SHAPE.test(value)) return false;
  if (!isCalendarDate(+value.slice(0, 4), +value.slice(5, 7), +value.slice(8, 10))) return false;
  if (+value.slice(11, 13) > 23 || +value.slice(14, 16) > 59 || +value.slice(17, 19) > 59) return false;
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(value);
  // js-joda's offsets reach ±18:00.
  return !offset || (+offset[3] <= 59 && +offset[2] * 60 + +offset[3] <= 18 * 60);
}

/**
 * A key that orders instants correctly as a string, at nanosecond precision, whatever offset the
 * timestamp was written with: the instant in UTC as `YYYY-MM-DDTHH:MM:SS.fffffffffZ`.
 * PostgreSQL keeps microseconds and JavaScript's Date only milliseconds, so comparing through Date
 * would make a `knownAt` copied from a `recordedAt` miss its own fact.
 */
export function instantKey(timestamp: Timestamp): string {
  const utc = UTC_TIMESTAMP.exec(timestamp);
  if (utc) return `${utc[1]}.${(utc[2] ?? '').padEnd(9, '0')}Z`;
  const instant: Instant = OffsetDateTime.parse(timestamp.toUpperCase()).toInstant();
  const seconds = instant.toString().slice(0, 19);
  return `${seconds}.${String(instant.nano()).padStart(9, '0')}Z`;
}

const UTC_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

const CHINA_OFFSET = ZoneOffset.ofHours(8);

/** The calendar date of an instant in China Standard Time (UTC+8). */
export function chinaDateOf(timestamp: Timestamp): LocalDate {
  return OffsetDateTime.parse(timestamp.toUpperCase()).toInstant().atZone(CHINA_OFFSET).toLocalDate().toString();
}

/**
 * Plain code-unit order for identifiers, dates and keys. `localeCompare` would follow the ICU
 * collation of the machine, and verdicts must sort the same everywhere.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
