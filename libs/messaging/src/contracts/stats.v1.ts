import { z } from 'zod/v4';
import type { KafkaRecord } from './ledger-event.v1';

/**
 * `cadre-ledger.stats.v1`: figures for dashboards, no personal data. One message per unit and
 * year (key `unitId/year`; the unit `*` for every unit together), compacted: the latest message per
 * key is the current figure. Counts only (persons per mechanism, locks, queues), never a name, an
 * id of a person or a reason; a count below the small-count threshold (LEDGER_SMALL_COUNT_THRESHOLD,
 * as `/v1/stats` gives the dashboard role) is `null` and named in `suppressed`.
 */
export const STATS_TOPIC = 'cadre-ledger.stats.v1';
export const STATS_CONTRACT = 'cadre-ledger.stats.v1';

const count = z.number().int().nullable();

export const StatsMessageV1 = z
  .object({
    contract: z.literal(STATS_CONTRACT),
    unitId: z.string().meta({ description: 'the unit, or * for every unit together' }),
    unitName: z.string().nullable(),
    year: z.number().int(),
    asOf: z.string().meta({ format: 'date', description: 'the day the figures were computed' }),
    incentive: count.meta({ description: 'persons commended or reviewed excellent in the year (鼓励激励)' }),
    tolerance: count.meta({ description: 'persons exempted or mitigated in the year (容错纠错)' }),
    adjustment: count.meta({ description: 'persons adjusted in the year (能上能下)' }),
    locksActive: count,
    locksEndingWithin30Days: count,
    locksEndingWithin90Days: count,
    openReviewTriggers: count,
    pendingToleranceCases: count,
    pendingAdjustmentCases: count,
    suppressed: z.array(z.string()),
  })
  .strict();
export type StatsMessageV1 = z.infer<typeof StatsMessageV1>;

export const STATS_FIGURES = ['incentive', 'tolerance', 'adjustment', 'locksActive', 'locksEndingWithin30Days', 'locksEndingWithin90Days', 'openReviewTriggers', 'pendingToleranceCases', 'pendingAdjustmentCases'] as const;
export type StatsFigures = Record<(typeof STATS_FIGURES)[number], number>;

/** The message of one unit and year: small counts suppressed. */
export function statsMessage(scope: { unitId: string; unitName: string | null; year: number; asOf: string }, figures: StatsFigures, threshold: number): StatsMessageV1 {
  const suppressed = STATS_FIGURES.filter((f) => figures[f] < threshold);
  const shown = Object.fromEntries(STATS_FIGURES.map((f) => [f, figures[f] < threshold ? null : figures[f]])) as Record<(typeof STATS_FIGURES)[number], number | null>;
  return { contract: STATS_CONTRACT, ...scope, ...shown, suppressed };
}

export function statsRecord(message: StatsMessageV1): KafkaRecord {
  return { key: `${message.unitId}/${message.year}`, value: JSON.stringify(message), headers: { contract: STATS_CONTRACT, unitId: message.unitId, year: String(message.year) } };
}
