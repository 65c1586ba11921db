import { v5 as uuidv5 } from 'uuid';
import type { LocalDate } from '@cadre-ledger/domain';
import type { Ledger } from '@cadre-ledger/application';
import type { CadreRows, ConflictChanges } from '@cadre-ledger/projections';

/** Namespace of the conflict detector's derived event ids (a fixed, random UUID). */
export const CONFLICT_NAMESPACE = '9b1c4e27-5d3a-4c86-a0f2-7e6b1d9c3a58';
export const CONFLICT_ACTOR = 'ledger-conflicts';

/**
 * The event id of a pair's detection or resolution: derived from the pair and its occurrence, so
 * two detectors, or a restart, append each at most once, and a pair that comes back is detected
 * again under a new id.
 */
export function conflictEventId(what: 'detected' | 'resolved', cadreId: string, promotionEventId: string, lockId: string, occurrence: number): string {
  return uuidv5(`${what}/${cadreId}/${promotionEventId}/${lockId}/${occurrence}`, CONFLICT_NAMESPACE);
}

/**
 * The 选人用人 audit as facts arrive: after the projector has recomputed a cadre from its stream,
 * the pairs that hold and are not open in the stream's record are appended as `ConflictDetected`,
 * and open pairs that no longer hold as `ConflictResolved` (a retraction, an exemption, a
 * clearance, a mitigation, a retracted promotion). The pairs are the rows' (`promotionConflicts`,
 * the same `evaluate` a promotion is refused with); the deciders keep the record consistent.
 */
export class ConflictDetector {
  constructor(private readonly options: { ledger: Ledger; today: () => LocalDate }) {}

  /** Appends what the cadre's record lacks; returns how many events it appended. */
  async record(cadreId: string, changes: ConflictChanges): Promise<number> {
    const { ledger, today } = this.options;
    let appended = 0;
    for (const c of changes.detect) {
      const result = await ledger.executeCadreCommand(
        cadreId,
        {
          type: 'RecordConflictDetected',
          data: { promotionEventId: c.promotionEventId, lockId: c.lock.lockId, ruleId: c.lock.ruleId, sourceEventId: c.lock.sourceEventId, promotedOn: c.promotedOn, occurrence: c.occurrence, effectiveAt: today() },
          metadata: { actor: CONFLICT_ACTOR },
        },
        { eventId: conflictEventId('detected', cadreId, c.promotionEventId, c.lock.lockId, c.occurrence) },
      );
      if (!result.alreadyStored) appended += result.events.length;
    }
    for (const r of changes.resolve) {
      const result = await ledger.executeCadreCommand(
        cadreId,
        { type: 'RecordConflictResolved', data: { ...r, effectiveAt: today() }, metadata: { actor: CONFLICT_ACTOR } },
        { eventId: conflictEventId('resolved', cadreId, r.promotionEventId, r.lockId, r.occurrence) },
      );
      if (!result.alreadyStored) appended += result.events.length;
    }
    return appended;
  }
}

/**
 * What follows a projected batch, wherever a projector runs (the follow process or a consumer-group
 * replica): the conflict detector records the 选人用人 audit's pairs that came or went. It appends
 * through the command path with derived event ids, so two projectors doing it append each event once.
 */
export function conflictReactions(options: { ledger: Ledger; today: () => LocalDate }): { conflicts: ConflictDetector; onProjected: (rows: ReadonlyMap<string, CadreRows | null>) => Promise<void> } {
  const conflicts = new ConflictDetector(options);
  return {
    conflicts,
    onProjected: async (rows) => {
      for (const [cadreId, cadre] of rows) {
        if (cadre && cadre.conflictChanges.detect.length + cadre.conflictChanges.resolve.length > 0) await conflicts.record(cadreId, cadre.conflictChanges);
      }
    },
  };
}
