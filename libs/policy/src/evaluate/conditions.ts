import type { LocalDate } from '@cadre-ledger/domain';
import { inForceOn, nearestSpans, type Rule, type RuleSetVersion } from '../rule-book';
import type { VerdictEntry, VerdictLock } from '../verdict';
import { firstIndex, type EvaluationContext } from './context';
import { monthsEnd, scopeAllows } from './effects';

/**
 * Conditions that follow a lock once it has ended: `impact-may-still-apply` (条例 第二十四条(六))
 * and `consultation-required` (陕西 能上能下办法 第十六条). They are judged by the rules in force
 * on the locked fact's date, most specific set first per key, within the scope the rule covers:
 * for a measure, the level that took it, so that they follow the cadre into a post another level
 * manages. A mitigated fact's relief rule may switch some of them off (陕西 RC-9-5: "影响期结束后
 * 提拔任用不受影响"), and only those it names (张家界 措施12 keeps impact-may-still-apply).
 *
 * `asIfInForce`: a version whose condition rules are taken as in force on the lock's date (the
 * span of each nearest in time), for a lock judged by a rule that was not (no-rule-for-date).
 */
export function conditionsAfterLocks(locks: readonly VerdictLock[], ctx: EvaluationContext, asIfInForce?: RuleSetVersion): VerdictEntry[] {
  const conditions: VerdictEntry[] = [];
  for (const lock of locks) {
    if (lock.until === null || lock.until > ctx.asOf) continue;
    const overridden = ctx.mitigations.get(lock.sourceEventId)?.overrides ?? [];
    const source = ctx.fact(lock.sourceEventId);
    const level = source ? ctx.levelJudging(source) : ctx.managedByOn(lock.from);
    const claimed = new Set<string>();
    for (const { version, rules } of conditionRulesOn(lock.from, ctx, asIfInForce)) {
      for (const rule of rules) {
        const effect = rule.effect;
        if (effect.kind !== 'condition' || !effect.after || !effect.duration || claimed.has(rule.keys[0])) continue;
        const applies = 'lockKinds' in effect.after ? effect.after.lockKinds.includes(lock.kind) : effect.after.lockRules.includes(lock.ruleId);
        if (!applies || overridden.includes(rule.id) || !scopeAllows(rule, level, ctx)) continue;
        claimed.add(rule.keys[0]);
        const since = lock.until;
        const until = 'months' in effect.duration ? monthsEnd(version, since, effect.duration.months) : promotionWithConsultation(since, ctx);
        conditions.push(entryFor(rule, effect.condition, lock.sourceEventId, since, until));
      }
    }
  }
  return conditions;
}

/**
 * Conditions that stand beside a priority for as long as it holds: what the clause granting it
 * also asks and the ledger cannot judge (陕西 第七条(一) "信念过硬……实绩突出": `qualities-to-confirm`).
 */
export function conditionsBesidePriorities(priorities: readonly VerdictEntry[], ctx: EvaluationContext): VerdictEntry[] {
  const conditions: VerdictEntry[] = [];
  for (const priority of priorities) {
    for (const { rules } of conditionRulesOn(priority.since, ctx)) {
      for (const rule of rules) {
        const effect = rule.effect;
        if (effect.kind !== 'condition' || !effect.beside?.priorityRules.includes(priority.ruleId)) continue;
        conditions.push(entryFor(rule, effect.condition, priority.sourceEventId, priority.since, priority.until ?? null));
      }
    }
  }
  return conditions;
}

/** The condition rules of each version of the chain in force on a date, most specific first. */
function conditionRulesOn(on: LocalDate, ctx: EvaluationContext, asIfInForce?: RuleSetVersion): { version: RuleSetVersion; rules: Rule[] }[] {
  return ctx.versionsOn(on, asIfInForce).map((version) => ({
    version,
    rules: version === asIfInForce ? nearestSpans(version.conditionRules, on) : version.conditionRules.filter((rule) => inForceOn(rule, on)),
  }));
}

function entryFor(rule: Rule, kind: string, sourceEventId: string, since: LocalDate, until: LocalDate | null): VerdictEntry {
  return { ruleId: rule.id, kind, since, ...(until === null ? {} : { until }), sourceEventId, citation: rule.citation, ruleSet: rule.version };
}

/** The first promotion on or after `since` that carries a consultation reference ends the condition. */
function promotionWithConsultation(since: LocalDate, ctx: EvaluationContext): LocalDate | null {
  const dates = ctx.consultedPromotions;
  const i = firstIndex(dates, (date) => date >= since);
  return i < dates.length ? dates[i] : null;
}
