import { instantKey, isUnitFact, type Fact, type LocalDate, type Timestamp } from '@cadre-ledger/domain';
import type { RuleBook } from './rule-book';
import { evaluate } from './evaluate/evaluate';
import type { VerdictLock } from './verdict';

/**
 * One finding of the 选人用人 audit (API.md, "选人用人 audit"): a promotion whose effective date
 * lies inside a lock, as the records stand at `knownAt`.
 */
export interface PromotionConflict {
  cadreId: string;
  promotionEventId: string;
  promotedOn: LocalDate;
  /** When the ledger learnt of the promotion (for an imported promotion: the import, not the appointment). */
  promotionRecordedAt: Timestamp;
  lock: VerdictLock;
  /**
   * Whether the lock was in the records when the promotion was recorded: the same question asked
   * of the history as it stood then. False is the retroactive case (带病提拔: a backdated sanction,
   * a late 立案 recorded after the promotion).
   */
  knownAtPromotion: boolean;
  /** When the fact behind the lock was recorded. */
  lockRecordedAt: Timestamp;
}

/**
 * Every (promotion, lock) pair of one cadre's history as known at `knownAt`: for each promotion
 * not retracted by then, the locks the rules hold on its effective date, by the same `evaluate` a
 * promotion is refused with; and for each, whether the history as recorded at the promotion's own
 * recording already held it. `history` is what a verdict reads (the cadre's facts and its units').
 */
export function promotionConflicts(ruleBook: RuleBook, history: readonly Fact[], knownAt: Timestamp): PromotionConflict[] {
  const limit = instantKey(knownAt);
  const known = history.filter((f) => instantKey(f.metadata.recordedAt) <= limit);
  const own = known.filter((f) => !isUnitFact(f));
  const registration = own.find((f) => f.type === 'CadreRegistered');
  if (!registration || registration.type !== 'CadreRegistered') return [];
  const retracted = new Set(own.flatMap((f) => (f.type === 'EntryRetracted' ? [f.data.eventId] : [])));
  const recordedAtOf = new Map(own.map((f) => [f.metadata.eventId, f.metadata.recordedAt]));
  const conflicts: PromotionConflict[] = [];
  for (const promotion of own) {
    if (promotion.type !== 'CadrePromoted' || retracted.has(promotion.metadata.eventId)) continue;
    const promotedOn = promotion.metadata.effectiveAt;
    const locks = evaluate(ruleBook, known, { asOf: promotedOn, knownAt }).locks;
    if (locks.length === 0) continue;
    const then = new Set(evaluate(ruleBook, known, { asOf: promotedOn, knownAt: promotion.metadata.recordedAt }).locks.map((l) => l.lockId));
    for (const lock of locks) {
      conflicts.push({
        cadreId: registration.data.cadreId,
        promotionEventId: promotion.metadata.eventId,
        promotedOn,
        promotionRecordedAt: promotion.metadata.recordedAt,
        lock,
        knownAtPromotion: then.has(lock.lockId),
        lockRecordedAt: recordedAtOf.get(lock.sourceEventId) ?? known.find((f) => f.metadata.eventId === lock.sourceEventId)?.metadata.recordedAt ?? promotion.metadata.recordedAt,
      });
    }
  }
  return conflicts;
}
