import type { Procedure } from '../shared/procedure';

/** 提出申请 → 调查核实 → 认定结论 → 结果反馈 → 资料报备 (陕西 容错纠错办法 第八条): the one description of the procedure. */
export const TOLERANCE_PROCEDURE = {
  kind: 'tolerance',
  source: '陕西 容错纠错办法 第八条',
  zh: '容错程序',
  caseZh: '容错案件',
  steps: [
    { step: 'requested', event: 'ToleranceRequested', zh: '提出申请', waitingZh: '已申请,待核实' },
    { step: 'investigated', event: 'ToleranceInvestigated', zh: '调查核实', waitingZh: '已核实,待认定' },
    { step: 'decided', event: 'ToleranceDecided', zh: '认定结论', waitingZh: '已认定,待反馈' },
    { step: 'notified', event: 'ToleranceNotified', zh: '结果反馈', waitingZh: '已反馈,待报备' },
    { step: 'filed', event: 'ToleranceFiled', zh: '资料报备', waitingZh: null },
  ],
} as const satisfies Procedure;

export type ToleranceStep = (typeof TOLERANCE_PROCEDURE.steps)[number]['step'];
export const TOLERANCE_STEPS: readonly ToleranceStep[] = TOLERANCE_PROCEDURE.steps.map((s) => s.step);
