import { Map as ImmutableMap, OrderedMap, Set as ImmutableSet } from 'immutable';
import type { CadreAdjusted, CadrePromoted, CadreTransferred, ConflictDetected, ConflictResolved, InfluencePeriodEnded } from '../events';
import type { Decided, Recorded } from '../shared/messages';
import type { LocalDate } from '../shared/local-date';
import type { ManagedBy, Position } from '../shared/vocabulary';

/**
 * A posting: where the cadre sits from `effectiveAt` on (registration, transfer, promotion,
 * adjustment). Promotions and adjustments stay in the unit the cadre is in on their own date
 * (`unitId: null` here), which `currentPlacement` works out in effective-date order, so that a
 * backdated or retracted transfer moves every later posting with it.
 */
export interface Placement {
  eventId: string;
  effectiveAt: LocalDate;
  unitId: string | null;
  position: Position | null;
  /** 干部管理权限 named by this posting, if any; later postings without one keep the earlier. */
  managedBy?: ManagedBy;
  /** Stream order, to break ties between placements effective on the same day. */
  order: number;
}

/** What the cadres capability keeps of a stream: postings, and the ledger's own marks (clock, 选人用人 audit). */
export interface CadresState {
  /** By eventId, in stream order. */
  placements: OrderedMap<string, Placement>;
  /** lockIds for which `InfluencePeriodEnded` is already recorded. */
  periodsEnded: ImmutableSet<string>;
  /** 选人用人 audit: `conflictKey(promotionEventId, lockId)` → the pair's last detection and whether it stands. */
  conflicts: ImmutableMap<string, { occurrence: number; open: boolean }>;
}

/** The key of a (promotion, lock) pair of the 选人用人 audit. */
export const conflictKey = (promotionEventId: string, lockId: string): string => `${promotionEventId} ${lockId}`;

export function placementOf(eventId: string, effectiveAt: LocalDate, unitId: string | null, position: Position | null, order: number, managedBy: ManagedBy | undefined): Placement {
  const placement = { eventId, effectiveAt, unitId, position, order };
  return managedBy ? { ...placement, managedBy } : placement;
}

type Posting = Decided<CadreTransferred | CadrePromoted | CadreAdjusted> | Recorded<CadreTransferred | CadrePromoted | CadreAdjusted>;
type Mark = Decided<InfluencePeriodEnded | ConflictDetected | ConflictResolved> | Recorded<InfluencePeriodEnded | ConflictDetected | ConflictResolved>;

/** A transfer, promotion or adjustment: a posting, `order` being its place in the stream. */
export function evolvePlacements<S extends CadresState>(state: S, event: Posting, order: number): S {
  const { eventId, effectiveAt } = event.metadata;
  const place = (unitId: string | null, position: Position | null) => ({ ...state, placements: state.placements.set(eventId, placementOf(eventId, effectiveAt, unitId, position, order, event.data.managedBy)) });
  switch (event.type) {
    case 'CadreTransferred':
      return place(event.data.unitId, event.data.position);
    case 'CadrePromoted':
      return place(null, event.data.newPosition);
    case 'CadreAdjusted':
      // 免职 leaves the cadre without a post in the unit; the other adjustments name the new post.
      return place(null, event.data.newPosition ?? null);
  }
}

/** A retracted posting no longer places the cadre. */
export const unplace = <S extends CadresState>(state: S, eventId: string): S => ({ ...state, placements: state.placements.delete(eventId) });

/** The clock's marks and the 选人用人 audit's record. */
export function evolveMarks<S extends CadresState>(state: S, event: Mark): S {
  switch (event.type) {
    case 'InfluencePeriodEnded':
      return { ...state, periodsEnded: state.periodsEnded.add(event.data.lockId) };
    case 'ConflictDetected':
      return { ...state, conflicts: state.conflicts.set(conflictKey(event.data.promotionEventId, event.data.lockId), { occurrence: event.data.occurrence, open: true }) };
    case 'ConflictResolved':
      return { ...state, conflicts: state.conflicts.set(conflictKey(event.data.promotionEventId, event.data.lockId), { occurrence: event.data.occurrence, open: false }) };
  }
}

/** The placement in force on `date` (null: before the first; `date` null: ignore dates), with its unit and management level. */
export function placementOn(state: Pick<CadresState, 'placements'>, date: LocalDate | null): (Placement & { unitId: string }) | null {
  const ordered = [...state.placements.values()].filter((p) => date === null || p.effectiveAt <= date).sort((a, b) => (a.effectiveAt === b.effectiveAt ? a.order - b.order : a.effectiveAt < b.effectiveAt ? -1 : 1));
  if (ordered.length === 0) return null;
  let unitId = ordered[0].unitId ?? '';
  let managedBy: ManagedBy | undefined;
  for (const p of ordered) {
    unitId = p.unitId ?? unitId;
    managedBy = p.managedBy ?? managedBy;
  }
  const last = ordered[ordered.length - 1];
  const { managedBy: _own, ...rest } = last;
  return { ...rest, unitId, ...(managedBy ? { managedBy } : {}) };
}

/** The placement in force: the latest by effective date, then by stream order. */
export function currentPlacement(state: Pick<CadresState, 'placements'>): Placement & { unitId: string } {
  // A registered cadre has its registration's placement at least (it cannot be retracted).
  return placementOn(state, null)!;
}
