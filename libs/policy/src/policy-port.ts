import type { Fact, LocalDate, PolicyPort, Timestamp } from '@cadre-ledger/domain';
import type { RuleBook } from './rule-book';
import { evaluate } from './evaluate/evaluate';

/**
 * The answer to the deciders' question (`PolicyPort`), over one cadre's history as known at
 * `knownAt`: the same `evaluate` that serves the API, projections and auditors.
 */
export function policyPortFor(ruleBook: RuleBook, history: readonly Fact[], knownAt: Timestamp): PolicyPort {
  return {
    isKnownJurisdiction: (jurisdiction: string) => ruleBook.hasJurisdiction(jurisdiction),
    toleranceSituations: (jurisdiction: string, on: LocalDate) => ruleBook.toleranceSituations(jurisdiction, on),
    excellenceQuota: (jurisdiction, on, unitGrade) => ruleBook.excellenceQuota(jurisdiction, on, unitGrade),
    promotionBlockers: (asOf: LocalDate) => {
      const verdict = evaluate(ruleBook, history, { asOf, knownAt });
      return {
        locks: verdict.locks,
        consultationRequired: verdict.conditions.filter((c) => c.kind === CONSULTATION_REQUIRED),
      };
    },
    openReviewTriggers: (asOf: LocalDate) =>
      evaluate(ruleBook, history, { asOf, knownAt }).reviewTriggers.map((t) => ({
        ruleId: t.ruleId,
        kind: t.kind,
        since: t.since,
        answeredByAdjustment: ruleBook.answeredByAdjustment(t.ruleId),
      })),
  };
}

/** The condition a promotion answers with a `consultationRef` (陕西 能上能下办法 第十六条). */
export const CONSULTATION_REQUIRED = 'consultation-required';
