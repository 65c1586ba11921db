import type { LocalDate } from '@cadre-ledger/domain';
import { inForceOn } from '../rule-book';
import type { VerdictEntry, VerdictLock } from '../verdict';
import { firstIndex, type EvaluationContext } from './context';
import { monthsEnd, scopeAllows } from './effects';

/**
 * Conditions that follow a lock once it has ended: `impact-may-still-apply` (条例 第二十四条(六))
 * and `consultation-required` (陕西 能上能下办法 第十六条). They are judged by the rules in force
 * on the locked fact's date, most specific set first per key, within the scope the rule covers.
 * A mitigated fact's relief rule may switch some of them off (陕西 RC-9-5: "影响期结束后提拔任用
 * 不受影响"), and only those it names (张家界 措施12 keeps impact-may-still-apply).
 */
export function conditionsAfterLocks(locks: readonly VerdictLock[], ctx: EvaluationContext): VerdictEntry[] {
  const conditions: VerdictEntry[] = [];
  for (const lock of locks) {
    if (lock.until === null || lock.until > ctx.asOf) continue;
    const overridden = ctx.mitigations.get(lock.sourceEventId)?.overrides ?? [];
    const claimed = new Set<string>();
    for (const version of ctx.versionsOn(lock.from)) {
      for (const rule of version.conditionRules) {
        const effect = rule.effect;
        if (effect.kind !== 'condition' || !inForceOn(rule, lock.from) || claimed.has(rule.keys[0])) continue;
        const applies = 'lockKinds' in effect.after ? effect.after.lockKinds.includes(lock.kind) : effect.after.lockRules.includes(lock.ruleId);
        if (!applies || overridden.includes(rule.id) || !scopeAllows(rule, lock.from, ctx)) continue;
        claimed.add(rule.keys[0]);
        const since = lock.until;
        const until = 'months' in effect.duration ? monthsEnd(version, since, effect.duration.months) : promotionWithConsultation(since, ctx);
        conditions.push({
          ruleId: rule.id,
          kind: effect.condition,
          since,
          ...(until === null ? {} : { until }),
          sourceEventId: lock.sourceEventId,
          citation: rule.citation,
          ruleSet: rule.version,
        });
      }
    }
  }
  return conditions;
}

/** The first promotion on or after `since` that carries a consultation reference ends the condition. */
function promotionWithConsultation(since: LocalDate, ctx: EvaluationContext): LocalDate | null {
  const dates = ctx.consultedPromotions;
  const i = firstIndex(dates, (date) => date >= since);
  return i < dates.length ? dates[i] : null;
}
