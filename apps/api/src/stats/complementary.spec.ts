import fc from 'fast-check';
import type { MechanismFigures } from '@cadre-ledger/projections';
import { complementarySuppression } from './complementary';
import { dashboardSeries, mechanismWithheld, withheldMechanismCells } from './stats.controller';

const MEASURES = ['incentive', 'tolerance', 'adjustment'] as const;

/** Persons per unit, year and measure, each in one unit (so a year's total is its units' sum, as an attacker would assume). */
const tables = fc.record({
  threshold: fc.integer({ min: 2, max: 6 }),
  years: fc.integer({ min: 1, max: 3 }),
  units: fc.array(fc.array(fc.array(fc.nat({ max: 14 }), { minLength: 3, maxLength: 3 }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 5 }),
});

function seriesOf(table: { years: number; units: number[][][] }): { totals: MechanismFigures[]; byUnit: MechanismFigures[] } {
  const byUnit: MechanismFigures[] = [];
  const totals: MechanismFigures[] = [];
  for (let y = 0; y < table.years; y++) {
    const year = 2020 + y;
    const total = { year, unitId: null, unitName: null, incentive: 0, tolerance: 0, adjustment: 0 };
    table.units.forEach((unit, u) => {
      const [incentive, tolerance, adjustment] = unit[y];
      total.incentive += incentive;
      total.tolerance += tolerance;
      total.adjustment += adjustment;
      // A unit with nothing in a year has no row (as the read model answers).
      if (incentive + tolerance + adjustment > 0) byUnit.push({ year, unitId: `u-${u}`, unitName: null, incentive, tolerance, adjustment });
    });
    totals.push(total);
  }
  return { totals, byUnit };
}

/**
 * The attacker: every figure published by any answer for the range (the whole series, each unit's,
 * /v1/stats for each year in total and per unit), a unit's absence from a year's rows (nothing
 * happened there), a year's total the sum of its units', every figure at least 0; bounds
 * propagated until they stop moving. A withheld figure whose bounds meet is recovered.
 */
function recovered(table: { threshold: number; years: number; units: number[][][] }): string[] {
  const series = seriesOf(table);
  const known = new Map<string, number>();
  const publish = (key: string, value: number | null) => {
    if (value === null) return;
    const before = known.get(key);
    if (before !== undefined && before !== value) throw new Error(`${key} published as ${before} and ${value}`);
    known.set(key, value);
  };
  const whole = dashboardSeries(series, table.threshold);
  for (const row of whole.totals) for (const m of MEASURES) publish(`${row.year}|*|${m}`, row[m]);
  for (const row of whole.byUnit) for (const m of MEASURES) publish(`${row.year}|${row.unitId}|${m}`, row[m]);
  const units = table.units.map((_, u) => `u-${u}`);
  for (const unit of units) {
    const own = dashboardSeries(series, table.threshold, unit);
    for (const row of own.totals) for (const m of MEASURES) publish(`${row.year}|${unit}|${m}`, row[m]);
  }
  // /v1/stats?year=Y and ?year=Y&unitId=U: the same figures, as the controller decides them.
  const withheld = withheldMechanismCells(series, table.threshold);
  for (const row of series.totals) {
    for (const m of MEASURES) {
      if (!mechanismWithheld(withheld, row.year, null, m, row[m], table.threshold)) publish(`${row.year}|*|${m}`, row[m]);
      for (const unit of units) {
        const value = series.byUnit.find((r) => r.year === row.year && r.unitId === unit)?.[m] ?? 0;
        if (!mechanismWithheld(withheld, row.year, unit, m, value, table.threshold)) publish(`${row.year}|${unit}|${m}`, value);
      }
    }
  }
  // A unit without a row in a year had nothing then: the list says so by leaving it out (as it always has).
  for (const row of series.totals) for (const unit of units) if (!series.byUnit.some((r) => r.year === row.year && r.unitId === unit)) for (const m of MEASURES) publish(`${row.year}|${unit}|${m}`, 0);
  const found: string[] = [];
  for (const row of series.totals) {
    for (const m of MEASURES) {
      const keys = [`${row.year}|*|${m}`, ...units.map((u) => `${row.year}|${u}|${m}`)];
      const lo = new Map(keys.map((k) => [k, known.get(k) ?? 0]));
      const hi = new Map(keys.map((k) => [k, known.get(k) ?? Number.POSITIVE_INFINITY]));
      const [total, ...parts] = keys;
      for (let moved = true; moved; ) {
        moved = false;
        const tighten = (k: string, low: number, high: number) => {
          if (low > lo.get(k)!) {
            lo.set(k, low);
            moved = true;
          }
          if (high < hi.get(k)!) {
            hi.set(k, high);
            moved = true;
          }
        };
        const sum = (m2: Map<string, number>, ks: string[]) => ks.reduce((s, k) => s + m2.get(k)!, 0);
        tighten(total, sum(lo, parts), sum(hi, parts));
        for (const part of parts) {
          const others = parts.filter((p) => p !== part);
          tighten(part, Math.max(0, lo.get(total)! - sum(hi, others)), hi.get(total)! - sum(lo, others));
        }
      }
      for (const k of keys) if (!known.has(k) && lo.get(k) === hi.get(k)) found.push(`${k} = ${lo.get(k)}`);
    }
  }
  return found;
}

describe('complementary suppression for the dashboard role', () => {
  it('leaves no withheld figure that the published ones of /v1/stats/mechanisms and /v1/stats give back', () => {
    fc.assert(fc.property(tables, (table) => recovered(table).length === 0), { numRuns: 500 });
  });

  it('withholds a second unit where one alone would be the total\'s difference (the issue: total 8, u-c 6, u-d null)', () => {
    const table = { threshold: 5, years: 1, units: [[[6, 0, 0]], [[2, 0, 0]]] };
    const answer = dashboardSeries(seriesOf(table), 5);
    expect(answer.totals[0].incentive).toBe(8);
    expect(answer.byUnit.map((r) => r.incentive)).toEqual([null, null]);
    expect(recovered(table)).toEqual([]);
  });

  it('withholds a published part when every withheld part would be zero', () => {
    const values = new Map([['t', 9], ['a', 9], ['b', 0], ['c', 0]]);
    const withheld = complementarySuppression(values, [{ total: 't', parts: ['a', 'b', 'c'] }], 5);
    expect([...withheld].sort()).toEqual(['a', 'b', 'c']);
  });
});
