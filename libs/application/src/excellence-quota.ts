import {
  foldUnit,
  instantKey,
  isDomainError,
  placementOn,
  unitStream,
  type AnnualReviewRecorded,
  type CadreState,
  type DecidedEvent,
  type Fact,
  type LocalDate,
  type QuotaReleaseReason,
  type UnitCommand,
  type UnitEvent,
} from '@cadre-ledger/domain';
import type { EventStore } from '@cadre-ledger/event-store';
import { toFact } from './facts';

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

type UnitRequest = { type: UnitCommand['type']; data: UnitCommand['data']; metadata: { actor: string; documentRef?: string | null } };

export interface ExcellenceQuotaDependencies {
  store: EventStore;
  now: () => Date;
  today: () => LocalDate;
  leaseMs: number;
  /** The command path for unit streams (Ledger.executeUnitCommand). */
  executeUnit: (unitId: string, request: UnitRequest, options: { retries: number }) => Promise<{ events: unknown[] }>;
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

  /** The unit whose quota a review counts against: the cadre's on the review's date. */
  static unitOf(state: CadreState, effectiveAt: LocalDate): string | null {
    return state.registered ? (placementOn(state, effectiveAt)?.unitId ?? null) : null;
  }

  async claim(cadreId: string, state: CadreState, review: DecidedEvent<AnnualReviewRecorded>): Promise<void> {
    const unitId = ExcellenceQuotas.unitOf(state, review.metadata.effectiveAt);
    if (!unitId) return;
    const { quotaOverrideRef } = review.data;
    const request: UnitRequest = {
      type: 'ClaimExcellenceQuota',
      data: { unitId, year: review.data.year, cadreId, reviewEventId: review.metadata.eventId, ...(quotaOverrideRef ? { quotaOverrideRef } : {}), effectiveAt: review.metadata.effectiveAt },
      metadata: { actor: review.metadata.actor, documentRef: quotaOverrideRef ?? null },
    };
    try {
      await this.deps.executeUnit(unitId, request, { retries: QUOTA_CLAIM_RETRIES });
    } catch (error) {
      if (!isDomainError(error) || error.code !== 'excellence-quota-exceeded') throw error;
      if ((await this.releaseDeadClaims(unitId, review.data.year)) === 0) throw error;
      await this.deps.executeUnit(unitId, request, { retries: QUOTA_CLAIM_RETRIES });
    }
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
    const stream = await this.deps.store.readStream(`cadre-${cadreId}`);
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
