import { v5 as uuidv5 } from 'uuid';
import { foldCadre, isUnitFact, type CadreEvent, type Fact, type LocalDate } from '@cadre-ledger/domain';
import { explain, type RuleBook, type VerdictLock } from '@cadre-ledger/policy';
import { latestRecordedAt, loadCadreHistory, type Ledger } from '@cadre-ledger/application';
import type { EventStore } from '@cadre-ledger/event-store';

/** Namespace of the clock's derived event ids (a fixed, random UUID). */
export const INFLUENCE_PERIOD_NAMESPACE = '3f6d2a4e-8c1b-4f7a-9e2d-5b8c7a6f1e03';
export const CLOCK_ACTOR = 'ledger-clock';

/** The event id of a lock's end: derived, so two clocks, or a restart, append it at most once. */
export function influencePeriodEventId(cadreId: string, lockId: string): string {
  return uuidv5(`${cadreId}/${lockId}`, INFLUENCE_PERIOD_NAMESPACE);
}

/** Of a cadre's locks at `today`: those ended and not yet marked, and those still to end (with a date). */
export function lockEnds(ruleBook: RuleBook, history: readonly Fact[], today: LocalDate): { awaiting: VerdictLock[]; coming: VerdictLock[] } {
  const state = foldCadre(history.filter((f) => !isUnitFact(f)) as Fact<CadreEvent>[]);
  if (!state.registered || history.length === 0) return { awaiting: [], coming: [] };
  const { effects } = explain(ruleBook, history, { asOf: today, knownAt: latestRecordedAt(history, history[0].metadata.recordedAt) });
  const dated = effects.locks.filter((l) => l.until !== null && !state.periodsEnded.has(l.lockId));
  return { awaiting: dated.filter((l) => (l.until as string) <= today), coming: dated.filter((l) => (l.until as string) > today) };
}

/** Locks whose `until` has come by `today` and whose end is not yet in the stream. */
export function endedLocksAwaitingMark(ruleBook: RuleBook, history: readonly Fact[], today: LocalDate): VerdictLock[] {
  return lockEnds(ruleBook, history, today).awaiting;
}

export interface InfluenceClockOptions {
  ledger: Ledger;
  store: EventStore;
  ruleBook: RuleBook;
  today: () => LocalDate;
}

/**
 * Appends `InfluencePeriodEnded {lockId, ruleId, sourceEventId}` to a cadre's stream on the day a
 * lock's `until` arrives (ClockFollower says when: after a backdated fact whose lock has already
 * ended, and on the day itself).
 */
export class InfluenceClock {
  constructor(private readonly options: InfluenceClockOptions) {}

  /** Marks every ended lock of one cadre; returns how many marks it appended. */
  async markCadre(cadreId: string): Promise<number> {
    const { store, ruleBook, today } = this.options;
    return this.markLocks(cadreId, endedLocksAwaitingMark(ruleBook, await loadCadreHistory(store, cadreId), today()));
  }

  /** Marks these ended locks of one cadre; returns how many marks it appended. */
  async markLocks(cadreId: string, locks: readonly VerdictLock[]): Promise<number> {
    let appended = 0;
    for (const lock of locks) {
      const result = await this.options.ledger.executeCadreCommand(
        cadreId,
        {
          type: 'RecordInfluencePeriodEnd',
          data: { lockId: lock.lockId, ruleId: lock.ruleId, sourceEventId: lock.sourceEventId, effectiveAt: lock.until as string },
          metadata: { actor: CLOCK_ACTOR },
        },
        { eventId: influencePeriodEventId(cadreId, lock.lockId) },
      );
      if (!result.alreadyStored) appended += result.events.length;
    }
    return appended;
  }
}
