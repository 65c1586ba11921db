import {
  cadreStream,
  foldUnit,
  instantKey,
  placementOn,
  unitStream,
  type AnnualReviewRecorded,
  type CadreState,
  type ClaimExcellenceQuota,
  type DomainError,
  type DecidedEvent,
  type Fact,
  type LocalDate,
  type QuotaReleaseReason,
  type Requested,
  type UnitCommand,
  type UnitEvent,
} from '@cadre-ledger/domain';
import type { EventStore } from '@cadre-ledger/event-store';
import { toFact } from './facts';

/** The unit whose quota a review counts against: the cadre's on the review's date. */
export function quotaUnitOf(state: CadreState, effectiveAt: LocalDate): string | null {
  return state.registered ? (placementOn(state, effectiveAt)?.unitId ?? null) : null;
}

/**
 * The claim an excellent review makes on its unit's quota, every path alike (the API, both
 * imports): the unit the cadre sat in on the review's date, the review's year, its override.
 * Null when the cadre sat in no unit then.
 */
export function claimOf(cadreId: string, state: CadreState, review: DecidedEvent<AnnualReviewRecorded>): { unitId: string; request: Requested<ClaimExcellenceQuota> } | null {
  const unitId = quotaUnitOf(state, review.metadata.effectiveAt);
  if (!unitId) return null;
  const { quotaOverrideRef } = review.data;
  return {
    unitId,
    request: {
      type: 'ClaimExcellenceQuota',
      data: { unitId, year: review.data.year, cadreId, reviewEventId: review.metadata.eventId, ...(quotaOverrideRef ? { quotaOverrideRef } : {}), effectiveAt: review.metadata.effectiveAt },
      metadata: { actor: review.metadata.actor, documentRef: quotaOverrideRef ?? null },
    },
  };
}

/** Claims on one unit race every writer of excellent reviews in that unit: retried this often. */
const QUOTA_CLAIM_RETRIES = 100;
/** Who gives places back, in the stored event's `actor`. */
export const QUOTA_ACTOR = 'ledger-quota';
/**
 * A claim whose review is not in the cadre's stream this long after the claim was recorded is
 * taken to be left behind by a process that died between the two appends (default 10 minutes,
 * far beyond the milliseconds between them).
 */
export const DEFAULT_QUOTA_CLAIM_LEASE_MS = 10 * 60_000;


export interface ExcellenceQuotaDependencies {
  store: EventStore;
  now: () => Date;
  today: () => LocalDate;
  leaseMs: number;
  /** The command path for unit streams (Ledger.executeUnitCommand). */
  executeUnit: (unitId: string, request: Requested<UnitCommand>, options: { retries: number }) => Promise<unknown>;
}

/**
 * The 优秀 quota as a set-wide invariant (API.md, "Excellence quotas, exactly"). A claim goes on
 * the unit's stream at the revision read, before the review is stored, so concurrent claims take
 * turns on every adapter. Places come back by `ExcellenceQuotaReleased`: right after a review is
 * retracted, and, whatever a crash left behind, when a unit reaches its limit: then every claim
 * of the year is checked against its cadre's stream and the dead ones (review retracted, or never
 * stored and older than the lease) are released before the claim is tried again.
 */
export class ExcellenceQuotas {
  constructor(private readonly deps: ExcellenceQuotaDependencies) {}

  /** Claims race every writer of excellent reviews in the unit. */
  readonly retries = QUOTA_CLAIM_RETRIES;

  /** The unit is at its limit: release the claims a crash or a retraction left behind, and try again if any was. */
  async exceeded(error: DomainError, unitId: string, year: number, again: () => Promise<void>): Promise<void> {
    if ((await this.releaseDeadClaims(unitId, year)) === 0) throw error;
    await again();
  }

  /** Gives back the place of a retracted excellent review (nothing when it held none). */
  async releaseRetracted(unitId: string, review: Fact<AnnualReviewRecorded>, cadreId: string): Promise<void> {
    await this.release(unitId, review.data.year, cadreId, review.metadata.eventId, 'review-retracted');
  }

  /** Releases the claims of a year whose review was retracted or never stored; returns how many were dead. */
  async releaseDeadClaims(unitId: string, year: number): Promise<number> {
    const unit = foldUnit((await this.deps.store.readStream(unitStream(unitId))).map(toFact) as Fact<UnitEvent>[]);
    const leaseEnd = instantKey(new Date(this.deps.now().getTime() - this.deps.leaseMs).toISOString());
    let dead = 0;
    for (const reviewEventId of unit.claims.get(year) ?? []) {
      const claim = unit.claimDetails.get(reviewEventId);
      if (!claim) continue;
      const reason = await this.deadReason(claim.cadreId, reviewEventId, claim.recordedAt === undefined || instantKey(claim.recordedAt) < leaseEnd);
      if (!reason) continue;
      await this.release(unitId, year, claim.cadreId, reviewEventId, reason);
      dead++;
    }
    return dead;
  }

  private async deadReason(cadreId: string, reviewEventId: string, leaseOver: boolean): Promise<QuotaReleaseReason | null> {
    const stream = await this.deps.store.readStream(cadreStream(cadreId));
    if (!stream.some((e) => e.eventId === reviewEventId)) return leaseOver ? 'review-not-stored' : null;
    return stream.some((e) => e.type === 'EntryRetracted' && (e.data as { eventId?: string }).eventId === reviewEventId) ? 'review-retracted' : null;
  }

  private async release(unitId: string, year: number, cadreId: string, reviewEventId: string, reason: QuotaReleaseReason): Promise<void> {
    await this.deps.executeUnit(
      unitId,
      { type: 'ReleaseExcellenceQuota', data: { unitId, year, cadreId, reviewEventId, reason, effectiveAt: this.deps.today() }, metadata: { actor: QUOTA_ACTOR } },
      { retries: QUOTA_CLAIM_RETRIES },
    );
  }
}
