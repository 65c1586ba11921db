import { compareText, isLocalDate, isTimestamp, type Fact } from '@cadre-ledger/domain';
import type { RuleBook } from '../rule-book';
import type { EvaluationTime, Verdict, VerdictEntry, VerdictLock } from '../verdict';
import { prepareHistory } from './history';
import { EvaluationContext } from './context';
import { collectEffects } from './effects';
import { conditionsAfterLocks } from './conditions';

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
    ruleSets: [],
    neutralised: [],
  };
  if (!registration) return empty;

  const jurisdiction = registration.data.jurisdiction;
  const ctx = new EvaluationContext(prepared, jurisdiction, asOf, ruleBook);
  const effects = collectEffects(ctx);
  const holds = (l: VerdictLock) => l.until === null || asOf < l.until;
  const active = (e: VerdictEntry) => e.since <= asOf && (e.until === undefined || asOf < e.until);
  const locks = effects.locks.filter(holds).sort(byLock);
  return {
    ...empty,
    promotable: locks.length === 0,
    locks,
    priorities: effects.priorities.filter(active).sort(byEntry),
    reviewTriggers: effects.reviewTriggers.filter(active).sort(byEntry),
    conditions: conditionsAfterLocks(effects.locks, ctx).filter(active).sort(byEntry),
    benefits: effects.benefits.filter(active).sort(byEntry),
    ruleSets: ruleBook.versionsInForce(jurisdiction, asOf).map((v) => v.version),
    neutralised: prepared.neutralised,
  };
}

const byLock = (a: VerdictLock, b: VerdictLock) => compareText(a.from, b.from) || compareText(a.lockId, b.lockId);
const byEntry = (a: VerdictEntry, b: VerdictEntry) =>
  compareText(a.since, b.since) || compareText(a.ruleId, b.ruleId) || compareText(a.sourceEventId, b.sourceEventId);
