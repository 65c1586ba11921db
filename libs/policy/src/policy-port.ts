import { COMMANDS_ASKING_HISTORY, type Fact, type LocalDate, type PolicyPort, type Timestamp } from '@cadre-ledger/domain';
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

/**
 * The port for a command that asks nothing about the history (`asksHistory` is false): the rule
 * book's answers, and a loud error should a decider ask about a history nobody loaded for it.
 */
export function rulesOnlyPolicyPort(ruleBook: RuleBook, commandType: string): PolicyPort {
  const notLoaded = (): never => {
    throw new Error(`${commandType}: its decider asks about the cadre's history, which the command path loads only for ${COMMANDS_ASKING_HISTORY.join(', ')}: add it there`);
  };
  return { ...policyPortFor(ruleBook, [], '1900-01-01T00:00:00Z'), promotionBlockers: notLoaded, openReviewTriggers: notLoaded };
}

/** The condition a promotion answers with a `consultationRef` (陕西 能上能下办法 第十六条). */
export const CONSULTATION_REQUIRED = 'consultation-required';
