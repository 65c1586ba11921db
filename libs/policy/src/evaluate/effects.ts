import { plusMonths, yearStart, assertNever, type Fact, type LocalDate } from '@cadre-ledger/domain';
import type { Rule } from '../rule-book';
import type { VerdictEntry, VerdictLock } from '../verdict';
import type { EvaluationContext } from './context';
import { match, type Match } from './matchers';

/** Every effect the facts produced, active on `asOf` or not; `evaluate` keeps what holds. */
export interface Effects {
  locks: VerdictLock[];
  priorities: VerdictEntry[];
  reviewTriggers: VerdictEntry[];
  benefits: VerdictEntry[];
}

interface StreakPriority {
  entry: VerdictEntry;
  runKey: string;
  runEnd: number;
  unitId?: string;
}

/**
 * Judges each fact by the versions in force on its own date (a 2017 demotion by the rules of 2017),
 * and for each effect key keeps the rule of the most specific set: "the same fact and key, the most
 * specific rule set wins; keys that differ all apply".
 */
export function collectEffects(ctx: EvaluationContext): Effects {
  const effects: Effects = { locks: [], priorities: [], reviewTriggers: [], benefits: [] };
  const streaks = new Map<string, StreakPriority>();
  for (const fact of ctx.facts) {
    const claimed = new Set<string>();
    for (const version of ctx.versionsOn(fact.metadata.effectiveAt)) {
      for (const rule of version.rulesByFact.get(fact.type) ?? []) {
        const found = firstMatch(rule, fact, ctx);
        if (!found) continue;
        const key = effectKey(rule, fact);
        if (claimed.has(key)) continue;
        claimed.add(key);
        apply(rule, fact, found, ctx, effects, streaks);
      }
    }
  }
  effects.priorities.push(...[...streaks.values()].map((s) => withStreakEnd(s, ctx)));
  return effects;
}

function firstMatch(rule: Rule, fact: Fact, ctx: EvaluationContext): Match | null {
  for (const m of rule.matchers) {
    const found = match(m, fact, ctx);
    if (found) return found;
  }
  return null;
}

/** The key this rule claims for this fact (a lock whose kind is the adjustment's own has one per kind). */
function effectKey(rule: Rule, fact: Fact): string {
  if (rule.effect.kind === 'lock' && typeof rule.effect.lock !== 'string' && fact.type === 'CadreAdjusted') {
    return `lock:${fact.data.kind}`;
  }
  return rule.keys[0];
}

function entry(rule: Rule, kind: string, fact: Fact, since: LocalDate, until: LocalDate | null): VerdictEntry {
  return {
    ruleId: rule.id,
    kind,
    since,
    ...(until === null ? {} : { until }),
    sourceEventId: fact.metadata.eventId,
    citation: rule.citation,
    ruleSet: rule.version,
  };
}

function apply(rule: Rule, fact: Fact, found: Match, ctx: EvaluationContext, effects: Effects, streaks: Map<string, StreakPriority>): void {
  const since = fact.metadata.effectiveAt;
  const effect = rule.effect;
  switch (effect.kind) {
    case 'lock': {
      const lock = lockFor(rule, fact, ctx);
      if (lock) effects.locks.push(lock);
      return;
    }
    case 'priority': {
      if (effect.duration) {
        effects.priorities.push(entry(rule, effect.priority, fact, since, plusMonths(since, effect.duration.months)));
        return;
      }
      // A streak priority holds from the review completing the streak until a later one breaks it:
      // one priority per unbroken run, from its first completing fact.
      const runKey = `${effect.priority}|${found.unitId ?? ''}|${found.runEnd}`;
      if (!streaks.has(runKey)) {
        streaks.set(runKey, { entry: entry(rule, effect.priority, fact, since, null), runKey, runEnd: found.runEnd ?? 0, unitId: found.unitId });
      }
      return;
    }
    case 'benefit':
      effects.benefits.push(entry(rule, effect.benefit, fact, since, plusMonths(since, effect.duration.months)));
      return;
    case 'trigger': {
      // Resolved by a later fact of the named types, or lapsed after N months, whichever comes first.
      const lapse = plusMonths(since, effect.lapsesAfterMonths);
      const resolution = ctx.nextOfTypes(ctx.positionOf(fact), effect.resolvedBy);
      const resolvedOn = resolution?.metadata.effectiveAt;
      const until = resolvedOn !== undefined && resolvedOn < lapse ? resolvedOn : lapse;
      effects.reviewTriggers.push(entry(rule, effect.trigger, fact, since, until));
      return;
    }
    case 'condition':
    case 'tolerance-situation':
    case 'tolerance-relief':
      return; // not produced by facts: conditions follow ended locks; tolerance rules serve decisions
    default:
      return assertNever(effect);
  }
}

function lockFor(rule: Rule, fact: Fact, ctx: EvaluationContext): VerdictLock | null {
  const effect = rule.effect;
  if (effect.kind !== 'lock') return null;
  const from = fact.metadata.effectiveAt;
  const kind = typeof effect.lock === 'string' ? effect.lock : fact.type === 'CadreAdjusted' ? fact.data.kind : 'unknown';
  const d = effect.duration;
  let until: LocalDate | null;
  if ('months' in d) {
    const extra = d.plusDataMonths && fact.type === 'SanctionImposed' ? (fact.data.probationMonths ?? 0) : 0;
    until = plusMonths(from, d.months + extra);
  } else if ('permanent' in d) {
    until = null;
  } else if ('untilInvestigationClosed' in d) {
    until = fact.type === 'InvestigationOpened' ? (ctx.investigationClosures.get(fact.data.caseId) ?? null) : null;
  } else {
    until = fact.type === 'AnnualReviewRecorded' ? yearStart(fact.data.year + d.untilYearStartAfterReviewYear) : from;
  }
  // A review decided after the period it would have barred bars nothing.
  if (until !== null && until <= from) return null;
  return {
    lockId: `${rule.id}@${fact.metadata.eventId}`,
    kind,
    ruleId: rule.id,
    from,
    until,
    sourceEventId: fact.metadata.eventId,
    citation: rule.citation,
    ruleSet: rule.version,
  };
}

/** A streak priority ends on the first later review (or assessment) that is not part of its run. */
function withStreakEnd(streak: StreakPriority, ctx: EvaluationContext): VerdictEntry {
  const later = streak.unitId === undefined
    ? [...ctx.reviewsByYear.values()]
    : [...(ctx.unitAssessments.get(streak.unitId)?.values() ?? [])];
  const breaker = later
    .filter((f) => f.data.year > streak.runEnd)
    .sort((a, b) => a.data.year - b.data.year)[0];
  return breaker ? { ...streak.entry, until: breaker.metadata.effectiveAt } : streak.entry;
}
