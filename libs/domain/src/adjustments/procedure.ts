import type { Procedure } from '../shared/procedure';

/**
 * 报告 → 审核 → 报批 → 决定 → 谈话 (陕西 能上能下办法 第十五条): the one description of the
 * procedure. The decision is the `CadreAdjusted` that names the case; an approval that says no
 * closes the case at `approved` (adjustments/decide.ts).
 */
export const ADJUSTMENT_PROCEDURE = {
  kind: 'adjustment',
  source: '陕西 能上能下办法 第十五条',
  zh: '调整程序',
  caseZh: '调整案件',
  steps: [
    { step: 'reported', event: 'AdjustmentReported', zh: '报告', waitingZh: '已报告,待审核' },
    { step: 'reviewed', event: 'AdjustmentReviewed', zh: '审核', waitingZh: '已审核,待报批' },
    { step: 'approved', event: 'AdjustmentApproved', zh: '报批', waitingZh: '已报批,待决定' },
    { step: 'decided', event: 'CadreAdjusted', zh: '决定', waitingZh: '已决定,待谈话' },
    { step: 'talked', event: 'AdjustmentTalkHeld', zh: '谈话', waitingZh: null },
  ],
} as const satisfies Procedure;

export type AdjustmentCaseStep = (typeof ADJUSTMENT_PROCEDURE.steps)[number]['step'];
export const ADJUSTMENT_CASE_STEPS: readonly AdjustmentCaseStep[] = ADJUSTMENT_PROCEDURE.steps.map((s) => s.step);
