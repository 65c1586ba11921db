import { z } from 'zod/v4';
import type { Verdict } from '@cadre-ledger/policy';
import type { KafkaRecord } from './ledger-event.v1';

/**
 * `cadre-ledger.eligibility.v2`: the current verdict of every cadre, key = cadreId, on a compacted
 * topic (the latest message per key is the cadre's verdict today). Its own explicit shape, mapped
 * from the policy engine's verdict field by field (v1 embedded the engine's type as it was). A
 * snapshot of every cadre is published on the relay's first start and after `ledger rebuild
 * --republish`; then each recomputed verdict (new facts, and the clock's new day). Personal data:
 * the verdict of a named person (the name itself is not in it).
 */
export const ELIGIBILITY_TOPIC_V2 = 'cadre-ledger.eligibility.v2';
export const ELIGIBILITY_CONTRACT_V2 = 'cadre-ledger.eligibility.v2';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).meta({ format: 'date' });
const CitationV2 = z.object({ document: z.string(), article: z.string(), text: z.string() }).strict();
const LockV2 = z
  .object({ lockId: z.string(), kind: z.string(), ruleId: z.string(), from: date, until: date.nullable().meta({ description: 'exclusive; null while open-ended' }), sourceEventId: z.string(), citation: CitationV2 })
  .strict();
const EntryV2 = z.object({ ruleId: z.string(), kind: z.string(), since: date, until: date.optional(), sourceEventId: z.string(), citation: CitationV2 }).strict();
const ExclusionV2 = z.object({ ruleId: z.string(), kind: z.string(), year: z.number().int(), since: date, until: date, sourceEventId: z.string(), citation: CitationV2 }).strict();

export const EligibilityMessageV2 = z
  .object({
    contract: z.literal(ELIGIBILITY_CONTRACT_V2),
    cadreId: z.string(),
    unitId: z.string(),
    asOf: date,
    knownAt: z.string().meta({ format: 'date-time' }),
    promotable: z.boolean(),
    locks: z.array(LockV2),
    priorities: z.array(EntryV2),
    reviewTriggers: z.array(EntryV2),
    conditions: z.array(EntryV2),
    benefits: z.array(EntryV2),
    exclusions: z.array(ExclusionV2),
    notes: z.array(z.object({ kind: z.string(), text: z.string() }).strict()),
    ruleSets: z.array(z.string()),
  })
  .strict();
export type EligibilityMessageV2 = z.infer<typeof EligibilityMessageV2>;

const citation = (c: { document: string; article: string; text: string }) => ({ document: c.document, article: c.article, text: c.text });
const entry = (e: Verdict['priorities'][number]) => ({ ruleId: e.ruleId, kind: e.kind, since: e.since, ...(e.until === undefined ? {} : { until: e.until }), sourceEventId: e.sourceEventId, citation: citation(e.citation) });

export function eligibilityMessageV2(unitId: string, verdict: Verdict): EligibilityMessageV2 {
  return {
    contract: ELIGIBILITY_CONTRACT_V2,
    cadreId: verdict.cadreId,
    unitId,
    asOf: verdict.asOf,
    knownAt: verdict.knownAt,
    promotable: verdict.promotable,
    locks: verdict.locks.map((l) => ({ lockId: l.lockId, kind: l.kind, ruleId: l.ruleId, from: l.from, until: l.until, sourceEventId: l.sourceEventId, citation: citation(l.citation) })),
    priorities: verdict.priorities.map(entry),
    reviewTriggers: verdict.reviewTriggers.map(entry),
    conditions: verdict.conditions.map(entry),
    benefits: verdict.benefits.map(entry),
    exclusions: verdict.exclusions.map((x) => ({ ruleId: x.ruleId, kind: x.kind, year: x.year, since: x.since, until: x.until, sourceEventId: x.sourceEventId, citation: citation(x.citation) })),
    notes: verdict.notes.map((n) => ({ kind: n.kind, text: n.text })),
    ruleSets: [...verdict.ruleSets],
  };
}

/** Key = cadreId (compaction keeps the latest), headers contract and cadreId and unitId. */
export function eligibilityRecordV2(unitId: string, verdict: Verdict): KafkaRecord {
  const message = eligibilityMessageV2(unitId, verdict);
  return { key: verdict.cadreId, value: JSON.stringify(message), headers: { contract: ELIGIBILITY_CONTRACT_V2, cadreId: verdict.cadreId, unitId } };
}
