import type { Message, Noted } from '../shared/messages';
import type { SanctionKind, SanctionSystem, TalkHolder, TalkKind } from '../shared/vocabulary';
import type { TakenBy } from '../cadres/events';

/** 诫勉 */
export type CautionIssued = Message<'CautionIssued', Noted & { reason: string }>;

/** 提醒谈话 or 约谈; `heldBy`, when recorded, says who held it (工作落实 三(五): 市委组织部长). */
export type TalkHeld = Message<'TalkHeld', Noted & { kind: TalkKind; reason: string; heldBy?: TalkHolder }>;

/** 党纪处分 or 政务处分 */
export type SanctionImposed = Message<
  'SanctionImposed',
  Noted & TakenBy & { system: SanctionSystem; kind: SanctionKind; probationMonths?: number }
>;

/** 立案调查 */
export type InvestigationOpened = Message<'InvestigationOpened', Noted & { caseId: string }>;

export type InvestigationClosed = Message<'InvestigationClosed', Noted & { caseId: string }>;
