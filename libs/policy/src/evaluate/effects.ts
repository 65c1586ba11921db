import { plusDays, plusMonths, yearOf, yearStart, assertNever, type Fact, type LocalDate, type ManagedBy } from '@cadre-ledger/domain';
import { inForceOn, type Rule, type RuleSetVersion } from '../rule-book';
import type { TalkAnswer } from '../schema';
import type { VerdictEntry, VerdictExclusion, VerdictLock } from '../verdict';
import type { EvaluationContext } from './context';
import { findingYear, match, type Match } from './matchers';

/** Every effect the facts produced, active on `asOf` or not; `evaluate` keeps what holds. */
export interface Effects {
  exclusions: VerdictExclusion[];
  locks: VerdictLock[];
  priorities: VerdictEntry[];
  reviewTriggers: VerdictEntry[];
  benefits: VerdictEntry[];
}

export const noEffects = (): Effects => ({ locks: [], priorities: [], reviewTriggers: [], benefits: [], exclusions: [] });

export interface StreakPriority {
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
  const effects = noEffects();
  const streaks = new Map<string, StreakPriority>();
  for (const fact of ctx.facts) {
    const on = fact.metadata.effectiveAt;
    const claimed = new Set<string>();
    for (const version of ctx.versionsOn(on)) {
      for (const rule of version.rulesByFact.get(fact.type) ?? []) {
        if (!inForceOn(rule, on)) continue;
        const found = firstMatch(rule, fact, ctx);
        if (!found) continue;
        const key = effectKey(rule, fact);
        if (claimed.has(key) || !scopeAllows(rule, ctx.levelJudging(fact), ctx)) continue;
        claimed.add(key);
        if (found.assumed) noteAssumedScope(rule, fact, found.assumed, ctx);
        apply(rule, version, fact, found, ctx, effects, streaks);
      }
    }
  }
  effects.priorities.push(...[...streaks.values()].map((s) => withStreakEnd(s, ctx)));
  return effects;
}

/**
 * A rule limited to some management levels (陕西 能上能下办法 第二条: 省管 cadres) applies to a
 * cadre, or a measure, of those levels (`managedBy`: EvaluationContext.levelJudging); to one never
 * recorded, as if it were, and the verdict says so. A cadre of a level whose local 配套办法 is not
 * held (安康's 市管 cadres) gets a note instead.
 */
export function scopeAllows(rule: Rule, managedBy: ManagedBy | undefined, ctx: EvaluationContext): boolean {
  if (!rule.appliesTo) return true;
  const covered = rule.appliesTo.managedBy.join('/');
  if (managedBy === undefined) {
    ctx.note('managed-by-assumed', `managedBy was never recorded for this cadre: ${rule.id} (${rule.citation.document}, for ${covered}-managed cadres) was applied as if the cadre were ${covered}-managed`);
    return true;
  }
  if (rule.appliesTo.managedBy.includes(managedBy)) return true;
  for (const document of ctx.localRulesNotHeld(managedBy)) {
    ctx.note('local-rules-not-held', `the cadre is ${managedBy}-managed: ${document} applies, and its text is not held; ${rule.id} covers ${covered}-managed cadres only`);
  }
  return false;
}

function noteAssumedScope(rule: Rule, fact: Fact, assumed: string[], ctx: EvaluationContext): void {
  ctx.note(
    'commendation-scope-assumed',
    `commendation ${fact.metadata.eventId} of ${fact.metadata.effectiveAt} was recorded without ${assumed.join(' and ')}: it was taken to qualify for ${rule.id} (${rule.citation.document} ${rule.citation.article})`,
  );
}

export function firstMatch(rule: Rule, fact: Fact, ctx: EvaluationContext): Match | null {
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

export function apply(rule: Rule, version: RuleSetVersion, fact: Fact, found: Match, ctx: EvaluationContext, effects: Effects, streaks: Map<string, StreakPriority>): void {
  const since = fact.metadata.effectiveAt;
  const effect = rule.effect;
  switch (effect.kind) {
    case 'lock': {
      const lock = lockFor(rule, version, fact, ctx);
      if (lock) effects.locks.push(lock);
      return;
    }
    case 'priority': {
      if (effect.duration) {
        effects.priorities.push(entry(rule, effect.priority, fact, since, monthsEnd(version, since, effect.duration.months)));
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
      effects.benefits.push(entry(rule, effect.benefit, fact, since, monthsEnd(version, since, effect.duration.months)));
      return;
    case 'trigger': {
      // Resolved by a later fact of the named types, or lapsed after N months, whichever comes first.
      // An adjustment reached through a 第十五条 case resolves only the triggers its case names, and
      // a case closed unapproved resolves them too (recorded, not adjusted).
      // A talk answers only as the rule describes it (工作落实 三(五): an admonition by the 组织部长).
      const lapse = monthsEnd(version, since, effect.lapsesAfterMonths);
      const byAdjustment = effect.resolvedBy.includes('CadreAdjusted');
      const namedBy = (caseId: string) => ctx.adjustmentCaseTriggers.get(caseId)?.includes(rule.id) ?? false;
      const types = effect.resolvedBy.map((r) => (typeof r === 'string' ? r : r.fact));
      const talkAnswers = effect.resolvedBy.filter((r): r is TalkAnswer => typeof r !== 'string');
      const resolution = ctx.nextOfTypes(ctx.positionOf(fact), byAdjustment ? [...types, 'AdjustmentApproved'] : types, (later) => {
        if (later.type === 'AdjustmentApproved') return !later.data.approved && namedBy(later.data.caseId);
        if (later.type === 'CadreAdjusted' && later.data.caseId !== undefined) return namedBy(later.data.caseId);
        if (later.type === 'TalkHeld' && talkAnswers.length > 0) return talkAnswers.some((a) => answers(a, later));
        return true;
      });
      const resolvedOn = resolution?.metadata.effectiveAt;
      const until = resolvedOn !== undefined && resolvedOn < lapse ? resolvedOn : lapse;
      // The answer rests on an assumption only where the trigger would otherwise still stand.
      if (resolution?.type === 'TalkHeld' && resolution.data.heldBy === undefined && talkAnswers.some((a) => a.heldBy) && ctx.asOf < lapse) {
        const holders = talkAnswers.flatMap((a) => a.heldBy ?? []).join('/');
        ctx.note('talk-holder-unknown', `talk ${resolution.metadata.eventId} of ${resolvedOn} was recorded without heldBy: it was taken to answer ${rule.id} (${rule.citation.document} ${rule.citation.article}, a talk held by ${holders}); check who held it`);
      }
      effects.reviewTriggers.push(entry(rule, effect.trigger, fact, since, until));
      return;
    }
    case 'exclusion': {
      // "取消当年评先评优资格": the year the finding is of; 评先评优 for it is decided in that year or the next.
      const year = fact.type === 'UnitFindingRecorded' ? findingYear(fact) : yearOf(since);
      effects.exclusions.push({ ruleId: rule.id, kind: effect.exclusion, year, since, until: yearStart(year + 2), sourceEventId: fact.metadata.eventId, citation: rule.citation, ruleSet: rule.version });
      return;
    }
    case 'condition':
    case 'tolerance-situation':
    case 'tolerance-relief':
    case 'excellence-quota':
      return; // not produced by facts: conditions follow ended locks; tolerance rules serve decisions
    default:
      return assertNever(effect);
  }
}

/**
 * The end (exclusive) of N months from D under the version's convention (schema.ts,
 * PERIOD_END_CONVENTIONS): D + N months, or a day later under 民法典 第二百零一条's reading.
 */
export function monthsEnd(version: Pick<RuleSetVersion, 'periodEnd'>, from: LocalDate, months: number): LocalDate {
  const end = plusMonths(from, months);
  return version.periodEnd === 'civil-code-201' ? plusDays(end, 1) : end;
}

/** Does this talk answer as described: of its kinds, and held by one named (or by someone not recorded)? */
function answers(answer: TalkAnswer, talk: Fact): boolean {
  if (talk.type !== 'TalkHeld' || !answer.kinds.includes(talk.data.kind)) return false;
  return !answer.heldBy || talk.data.heldBy === undefined || answer.heldBy.includes(talk.data.heldBy);
}

function lockFor(rule: Rule, version: RuleSetVersion, fact: Fact, ctx: EvaluationContext): VerdictLock | null {
  const effect = rule.effect;
  if (effect.kind !== 'lock') return null;
  const from = fact.metadata.effectiveAt;
  const kind = typeof effect.lock === 'string' ? effect.lock : fact.type === 'CadreAdjusted' ? fact.data.kind : 'unknown';
  const d = effect.duration;
  let until: LocalDate | null;
  if ('months' in d) {
    const extra = d.plusDataMonths && fact.type === 'SanctionImposed' ? (fact.data.probationMonths ?? 0) : 0;
    until = monthsEnd(version, from, d.months + extra);
  } else if ('permanent' in d) {
    until = null;
  } else if ('untilInvestigationClosed' in d) {
    until = fact.type === 'InvestigationOpened' ? (ctx.investigationClosures.get(fact.data.caseId) ?? null) : null;
  } else {
    until = fact.type === 'AnnualReviewRecorded' ? yearStart(fact.data.year + d.untilYearStartAfterReviewYear) : from;
  }
  // A review decided after the period it would have barred bars nothing.
  if (until !== null && until <= from) return null;
  const takenBy = fact.type === 'CadreAdjusted' || fact.type === 'SanctionImposed' ? ctx.levelJudging(fact) : undefined;
  return {
    lockId: `${rule.id}@${fact.metadata.eventId}`,
    kind,
    ruleId: rule.id,
    from,
    until,
    sourceEventId: fact.metadata.eventId,
    citation: rule.citation,
    ruleSet: rule.version,
    ...(takenBy ? { measureTakenBy: takenBy } : {}),
  };
}

/** A streak priority ends on the first later review (or assessment) that is not part of its run. */
export function withStreakEnd(streak: StreakPriority, ctx: EvaluationContext): VerdictEntry {
  const later = streak.unitId === undefined
    ? [...ctx.reviewsByYear.values()]
    : [...(ctx.unitAssessments.get(streak.unitId)?.values() ?? [])];
  const breaker = later
    .filter((f) => f.data.year > streak.runEnd)
    .sort((a, b) => a.data.year - b.data.year)[0];
  return breaker ? { ...streak.entry, until: breaker.metadata.effectiveAt } : streak.entry;
}
