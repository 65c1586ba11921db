import type { Message, Noted } from '../shared/messages';
import type { SanctionKind, SanctionSystem, TalkKind } from '../shared/vocabulary';

/** 诫勉 */
export type CautionIssued = Message<'CautionIssued', Noted & { reason: string }>;

/** 提醒谈话 or 约谈 */
export type TalkHeld = Message<'TalkHeld', Noted & { kind: TalkKind; reason: string }>;

/** 党纪处分 or 政务处分 */
export type SanctionImposed = Message<
  'SanctionImposed',
  Noted & { system: SanctionSystem; kind: SanctionKind; probationMonths?: number }
>;

/** 立案调查 */
export type InvestigationOpened = Message<'InvestigationOpened', Noted & { caseId: string }>;

export type InvestigationClosed = Message<'InvestigationClosed', Noted & { caseId: string }>;
