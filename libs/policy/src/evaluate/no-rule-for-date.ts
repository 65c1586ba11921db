import type { Fact } from '@cadre-ledger/domain';
import { inForceOn, nearestSpans, type Rule } from '../rule-book';
import type { EvaluationContext } from './context';
import { conditionsAfterLocks, conditionsBesidePriorities } from './conditions';
import { apply, firstMatch, noEffects, scopeAllows, withStreakEnd, type StreakPriority } from './effects';
import { couldMatch } from './matchers';

/**
 * `no-rule-for-date` (RULEBOOK.md 2026-12b): a fact that rules of the cadre's chain judge, none of
 * them in force on its date, gets the note only where it could matter: where judging it by such a
 * rule, at its span nearest in time, as if it had been in force, would give a lock, priority,
 * trigger, benefit, exclusion or condition still holding on `asOf`. The note names the nearest
 * such rule and what it would give, and asks the reader to check the text in force then. A 2017
 * commendation or an investigation closed in 2018 judged today gives nothing: no note.
 */
export function noteFactsNoRuleJudged(ctx: EvaluationContext): void {
  for (const fact of ctx.facts) {
    const on = fact.metadata.effectiveAt;
    const judging = ctx.rulesEverReading(fact).filter((r) => r.matchers.some((m) => couldMatch(m, fact)));
    if (judging.length === 0 || judging.some((r) => inForceOn(r, on) && ctx.versionsOn(on).some((v) => v.version === r.version))) continue;
    for (const rule of nearestSpans(judging, on)) {
      const would = ctx.hypothetically(() => wouldGive(rule, fact, ctx));
      if (would === null) continue;
      ctx.note(
        'no-rule-for-date',
        `${fact.type} ${fact.metadata.eventId} of ${on}: no encoded rule was in force on its date. Judged by ${rule.id} (${rule.citation.document} ${rule.citation.article}, in force from ${rule.effectiveFrom}${rule.effectiveTo ? ` to ${rule.effectiveTo}` : ''}) as if it had been, it would give ${would}, still holding on ${ctx.asOf}: check which text governed it on ${on} and what that text provides`,
      );
      break;
    }
  }
}

/** What judging the fact by this rule would give that still holds on `asOf`, in a few words; null if nothing. */
function wouldGive(rule: Rule, fact: Fact, ctx: EvaluationContext): string | null {
  const found = firstMatch(rule, fact, ctx);
  if (!found || !scopeAllows(rule, ctx.levelJudging(fact), ctx)) return null;
  const version = ctx.versionOf(rule);
  const effects = noEffects();
  const streaks = new Map<string, StreakPriority>();
  apply(rule, version, fact, found, ctx, effects, streaks);
  effects.priorities.push(...[...streaks.values()].map((s) => withStreakEnd(s, ctx)));
  const asOf = ctx.asOf;
  const lock = effects.locks.find((l) => l.until === null || asOf < l.until);
  if (lock) return lock.until === null ? `an open-ended lock (${lock.kind})` : `a lock (${lock.kind}) until ${lock.until}`;
  const entries = [
    ...effects.priorities.map((e) => ({ list: 'priority', e })),
    ...effects.reviewTriggers.map((e) => ({ list: 'review trigger', e })),
    ...effects.benefits.map((e) => ({ list: 'benefit', e })),
    ...effects.exclusions.map((e) => ({ list: 'exclusion', e })),
    ...[...conditionsAfterLocks(effects.locks, ctx, version), ...conditionsBesidePriorities(effects.priorities, ctx)].map((e) => ({ list: 'condition', e })),
  ];
  const holding = entries.find(({ e }) => e.since <= asOf && (e.until === undefined || asOf < e.until));
  return holding ? `the ${holding.list} ${holding.e.kind} from ${holding.e.since}${holding.e.until ? ` until ${holding.e.until}` : ''}` : null;
}

