/**
 * `recordedAt` and `knownAt` are RFC 3339 timestamps compared at microsecond precision, the
 * precision of PostgreSQL's `timestamptz`. JavaScript's `Date` keeps only milliseconds, so two
 * appends in the same millisecond would be indistinguishable to it: these helpers work in
 * microseconds since the epoch, as `bigint`.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/** Microseconds since the Unix epoch. Digits beyond the sixth fractional one are dropped. */
export function toEpochMicros(timestamp: string): bigint {
  const match = RFC3339.exec(timestamp);
  if (!match) throw new RangeError(`not an RFC 3339 timestamp: ${timestamp}`);
  const [, year, month, day, hour, minute, second, fraction = '', offset] = match;
  const wholeSeconds = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second) / 1000;
  let offsetSeconds = 0;
  if (offset !== 'Z' && offset !== 'z') {
    const sign = offset.startsWith('-') ? -1 : 1;
    offsetSeconds = sign * (Number(offset.slice(1, 3)) * 3600 + Number(offset.slice(4, 6)) * 60);
  }
  const micros = BigInt((fraction + '000000').slice(0, 6));
  return BigInt(wholeSeconds - offsetSeconds) * 1_000_000n + micros;
}

/** `2026-11-22T08:00:00.123456Z`: UTC, always six fractional digits. */
export function formatEpochMicros(micros: bigint): string {
  const millis = micros / 1000n;
  const iso = new Date(Number(millis)).toISOString(); // 2026-11-22T08:00:00.123Z
  const subMillis = String(micros % 1000n).padStart(3, '0');
  return `${iso.slice(0, 23)}${subMillis}Z`;
}

/** The wall clock in microseconds: `Date.now()` refined by the monotonic high-resolution timer. */
export function systemClockMicros(): bigint {
  return systemClockOrigin + BigInt(Math.floor((performance.now() - performanceOrigin) * 1000));
}
const performanceOrigin = performance.now();
const systemClockOrigin = BigInt(Date.now()) * 1000n;
