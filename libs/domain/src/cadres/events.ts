import type { Message, Noted } from '../shared/messages';
import type { ManagedBy, Position } from '../shared/vocabulary';

/** Who manages the cadre (干部管理权限), when recorded; a posting without it keeps the one before. */
export interface Managed {
  managedBy?: ManagedBy;
}

/**
 * The level whose 管理权限 took a measure (adjustment, sanction), when recorded; absent, the cadre's
 * `managedBy` the day before it took effect. Rules limited to a management level judge the measure by it.
 */
export interface TakenBy {
  measureTakenBy?: ManagedBy;
}

export type CadreRegistered = Message<
  'CadreRegistered',
  Noted & Managed & { cadreId: string; name: string; unitId: string; jurisdiction: string; position: Position }
>;

/** An ordinary posting to another unit or post, with no penalty attached. */
export type CadreTransferred = Message<'CadreTransferred', Noted & Managed & { unitId: string; position: Position }>;

export type CadrePromoted = Message<
  'CadrePromoted',
  Noted & Managed & {
    newPosition: Position;
    /** Reference of the higher organisation department's opinion (征求上一级组织人事部门意见). */
    consultationRef?: string;
  }
>;

/** A wrong entry is neutralised, never deleted: history keeps it. */
export type EntryRetracted = Message<'EntryRetracted', Noted & { eventId: string; reason: string }>;

/**
 * 选人用人 audit (API.md): a promotion whose effective date lies inside a lock, as the records stand
 * now. Appended by the ledger's conflict detector when a newly recorded fact (a backdated
 * sanction, a late 立案, a retracted clearance, …) or a historical import makes the pair hold;
 * `occurrence` counts the times this pair was detected (a pair that comes back is detected again).
 */
export type ConflictDetected = Message<
  'ConflictDetected',
  { promotionEventId: string; lockId: string; ruleId: string; sourceEventId: string; promotedOn: string; occurrence: number }
>;

/** The pair of a `ConflictDetected` no longer holds (a retraction, an exemption, a clearance, a mitigation, a retracted promotion). */
export type ConflictResolved = Message<'ConflictResolved', { promotionEventId: string; lockId: string; ruleId: string; occurrence: number }>;

/** Appended by the ledger's clock on the day a lock's `until` arrives; informational. */
export type InfluencePeriodEnded = Message<
  'InfluencePeriodEnded',
  { lockId: string; ruleId: string; sourceEventId: string }
>;
