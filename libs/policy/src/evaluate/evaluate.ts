import { compareText, isLocalDate, isTimestamp, type Fact } from '@cadre-ledger/domain';
import type { RuleBook } from '../rule-book';
import type { EvaluationTime, Verdict, VerdictEntry, VerdictExclusion, VerdictLock } from '../verdict';
import { prepareHistory } from './history';
import { EvaluationContext } from './context';
import { collectEffects } from './effects';
import { conditionsAfterLocks, conditionsBesidePriorities } from './conditions';
import { noteFactsNoRuleJudged } from './no-rule-for-date';

export class EvaluationInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvaluationInputError';
  }
}

/**
 * The verdict on one cadre (API.md, "The eligibility verdict"): from the facts of the cadre's
 * stream, and the unit assessments of the units it sat in, that were recorded at or before
 * `knownAt` and took effect at or before `asOf`. Pure and deterministic: the same history and
 * times give the same verdict, and facts recorded after `knownAt` never change it.
 */
export function evaluate(ruleBook: RuleBook, history: readonly Fact[], time: EvaluationTime): Verdict {
  return explain(ruleBook, history, time).verdict;
}

/** Everything the facts produced, whether or not it still holds on `asOf`: an auditor's timeline. */
export interface Explanation {
  verdict: Verdict;
  effects: {
    locks: VerdictLock[];
    priorities: VerdictEntry[];
    reviewTriggers: VerdictEntry[];
    conditions: VerdictEntry[];
    benefits: VerdictEntry[];
    exclusions: VerdictExclusion[];
  };
}

/** The verdict, and every lock, priority, trigger, condition and benefit behind it, held or ended. */
export function explain(ruleBook: RuleBook, history: readonly Fact[], time: EvaluationTime): Explanation {
  const { asOf, knownAt } = time;
  if (!isLocalDate(asOf)) throw new EvaluationInputError(`asOf ${JSON.stringify(asOf)} is not a YYYY-MM-DD date`);
  if (!isTimestamp(knownAt)) throw new EvaluationInputError(`knownAt ${JSON.stringify(knownAt)} is not an RFC 3339 timestamp`);

  const prepared = prepareHistory(history, asOf, knownAt, ruleBook);
  const registration = prepared.registration;
  const empty: Verdict = {
    cadreId: registration?.data.cadreId ?? '',
    asOf,
    knownAt,
    promotable: true,
    locks: [],
    priorities: [],
    reviewTriggers: [],
    conditions: [],
    benefits: [],
    exclusions: [],
    ruleSets: [],
    neutralised: [],
    notes: [],
  };
  if (!registration) return { verdict: empty, effects: { locks: [], priorities: [], reviewTriggers: [], conditions: [], benefits: [], exclusions: [] } };

  const jurisdiction = registration.data.jurisdiction;
  const ctx = new EvaluationContext(prepared, jurisdiction, asOf, ruleBook);
  const effects = collectEffects(ctx);
  const holds = (l: VerdictLock) => l.until === null || asOf < l.until;
  const active = (e: VerdictEntry) => e.since <= asOf && (e.until === undefined || asOf < e.until);
  const all = {
    locks: [...effects.locks].sort(byLock),
    priorities: [...effects.priorities].sort(byEntry),
    reviewTriggers: [...effects.reviewTriggers].sort(byEntry),
    conditions: [...conditionsAfterLocks(effects.locks, ctx), ...conditionsBesidePriorities(effects.priorities, ctx)].sort(byEntry),
    benefits: [...effects.benefits].sort(byEntry),
    exclusions: effects.exclusions,
  };
  noteFactsNoRuleJudged(ctx);
  const locks = all.locks.filter(holds);
  const verdict: Verdict = {
    ...empty,
    promotable: locks.length === 0,
    locks,
    priorities: all.priorities.filter(active),
    reviewTriggers: all.reviewTriggers.filter(active),
    conditions: all.conditions.filter(active),
    benefits: all.benefits.filter(active),
    exclusions: effects.exclusions.filter((e) => e.since <= asOf && asOf < e.until).sort((a, b) => compareText(a.since, b.since) || compareText(a.ruleId, b.ruleId)),
    ruleSets: ruleBook.versionsInForce(jurisdiction, asOf).map((v) => v.version),
    neutralised: prepared.neutralised,
    notes: ctx.notes,
  };
  return { verdict, effects: all };
}

const byLock = (a: VerdictLock, b: VerdictLock) => compareText(a.from, b.from) || compareText(a.lockId, b.lockId);
const byEntry = (a: VerdictEntry, b: VerdictEntry) =>
  compareText(a.since, b.since) || compareText(a.ruleId, b.ruleId) || compareText(a.sourceEventId, b.sourceEventId);
