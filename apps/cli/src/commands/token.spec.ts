import { ttlSeconds } from './token';

describe('token --ttl', () => {
  it('reads seconds, minutes, hours and days', () => {
    expect([ttlSeconds('90s'), ttlSeconds('30m'), ttlSeconds('8h'), ttlSeconds('2d')]).toEqual([90, 1800, 28_800, 172_800]);
  });

  it('refuses other shapes and lifetimes beyond a week, as usage errors (exit 2)', () => {
    for (const bad of ['8', 'h', '1w', '-1h', '8d', '0s']) expect(() => ttlSeconds(bad)).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});
