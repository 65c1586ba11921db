import type { Message, Noted } from '../shared/messages';
import type { AdjustmentKind, Position, ReviewTriggerKind } from '../shared/vocabulary';
import type { Managed, TakenBy } from '../cadres/events';

/** 能下: 调离岗位, 改任非领导职务, 免职, 降职. */
export type CadreAdjusted = Message<
  'CadreAdjusted',
  Noted & Managed & TakenBy & {
    kind: AdjustmentKind;
    /** The post after the adjustment (none after a removal). */
    newPosition?: Position;
    /** The review trigger that prompted it, when one did. */
    trigger?: ReviewTriggerKind;
    /** The 第十五条 case it decides (决定), when it was reached through one. */
    caseId?: string;
  }
>;

/** 第十五条(一) 报告: the case opens on the triggers (rule ids) it answers, with the proposed adjustment. */
export type AdjustmentReported = Message<'AdjustmentReported', Noted & { caseId: string; triggers: string[]; report: { proposedKind: AdjustmentKind } }>;

/** 第十五条(二) 审核: whether the cadre's own account (干部本人说明) was heard. */
export type AdjustmentReviewed = Message<'AdjustmentReviewed', Noted & { caseId: string; cadreStatementHeard: boolean; summary: string }>;

/** 第十五条(三) 报批: approved (with the kind approved, default the proposed one), or not: the case closes, recorded, not adjusted. */
export type AdjustmentApproved = Message<'AdjustmentApproved', Noted & { caseId: string; approved: boolean; kind?: AdjustmentKind }>;

/** 第十五条(五) 谈话 with the adjusted cadre. */
export type AdjustmentTalkHeld = Message<'AdjustmentTalkHeld', Noted & { caseId: string }>;
