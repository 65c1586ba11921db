import type { Message, Noted } from '../shared/messages';
import type { AdjustmentKind, ClearanceFinding, FilingBody, SanctionSystem, SanctionKind, ToleranceInitiator, ToleranceOutcome } from '../shared/vocabulary';

/** 提出申请 (or an authority starting the case itself) */
export type ToleranceRequested = Message<
  'ToleranceRequested',
  Noted & {
    caseId: string;
    /** A situation code of the cadre's rule set (e.g. `SN-3`). */
    situation: string;
    /** eventIds of the sanctions, cautions, talks or adjustments the case is about. */
    covers: string[];
    initiatedBy: ToleranceInitiator;
  }
>;

/** 调查核实: the three exclusions of 三个区分开来 are established here. */
export type ToleranceInvestigated = Message<
  'ToleranceInvestigated',
  Noted & {
    caseId: string;
    personalGain: boolean; // 谋取私利
    knowingViolation: boolean; // 明知故犯
    expresslyProhibited: boolean; // 上级明令禁止后我行我素
    summary: string;
  }
>;

/**
 * What a 减责 decision lightens the covered facts to (API.md, "Mitigation is lighter"): a lighter
 * sanction of the same system, a lighter organizational measure (an adjustment kind), or a caution.
 */
export type MitigatedTo =
  | { system: SanctionSystem; kind: SanctionKind; probationMonths?: number }
  | { system: 'organizational'; kind: AdjustmentKind }
  | { system: 'caution' };

/** 认定结论 */
export type ToleranceDecided = Message<
  'ToleranceDecided',
  Noted & { caseId: string; outcome: ToleranceOutcome; mitigatedTo?: MitigatedTo; reason: string }
>;

/** 结果反馈 */
export type ToleranceNotified = Message<'ToleranceNotified', Noted & { caseId: string; disclosed: boolean }>;

/** 资料报备 */
export type ToleranceFiled = Message<'ToleranceFiled', Noted & { caseId: string; filedWith: FilingBody[] }>;

/** 澄清正名: the covered facts lose every effect. */
export type AllegationCleared = Message<
  'AllegationCleared',
  Noted & { covers: string[]; finding: ClearanceFinding }
>;
