import { DomainError, TOLERANCE_PROCEDURE, openSteps, stepOfEvent, type Fact, type Procedure, type StepTaken } from '@cadre-ledger/domain';
import { procedureMessagesZh, requireNextStep } from '@cadre-ledger/domain/shared/procedure';
import { toleranceCaseRows } from '@cadre-ledger/projections';
import { dashboardLabels } from '../../apps/api/src/dashboard/static';

/**
 * A procedure is described once (STYLE.md): a step added to its description shows up in the
 * decider's order and dating, the folded state's step, the read model's row, the open steps the
 * statistics count, the dashboard's labels and the Chinese refusal, with nothing else changed.
 * The copy of 容错 第八条 below has a 复核 step between 认定结论 and 结果反馈.
 */
const steps = TOLERANCE_PROCEDURE.steps;
const extended: Procedure = {
  ...TOLERANCE_PROCEDURE,
  steps: [...steps.slice(0, 3), { step: 'reviewed', event: 'ToleranceReviewed', zh: '复核', waitingZh: '已复核,待反馈' }, ...steps.slice(3)],
};

const taken = (...names: string[]): StepTaken[] => names.map((step, i) => ({ step, eventId: `e-${step}`, effectiveAt: `2020-0${i + 1}-01` }));
const refusal = (run: () => void): DomainError | undefined => {
  try {
    run();
  } catch (error) {
    return error as DomainError;
  }
  return undefined;
};

describe('a step added to a copy of the tolerance procedure', () => {
  it('is the step the decider wants after 认定结论, dated on or after it', () => {
    const decided = taken('requested', 'investigated', 'decided');
    expect(refusal(() => requireNextStep(extended, 'tc-1', decided, 'reviewed', '2020-03-02'))).toBeUndefined();
    expect(refusal(() => requireNextStep(extended, 'tc-1', decided, 'notified', '2020-03-02'))).toMatchObject({ code: 'tolerance-step-out-of-order', category: 'conflict', details: { currentStep: 'decided' } });
    expect(refusal(() => requireNextStep(extended, 'tc-1', decided, 'reviewed', '2020-02-28'))).toMatchObject({ code: 'tolerance-step-before-previous', category: 'conflict', details: { currentStep: 'decided' } });
    // The procedure as shipped still goes straight from 认定结论 to 结果反馈.
    expect(refusal(() => requireNextStep(TOLERANCE_PROCEDURE, 'tc-1', decided, 'notified', '2020-03-02'))).toBeUndefined();
  });

  it('is the step its event takes in the folded state and the read model, a case waiting at it', () => {
    expect(stepOfEvent(extended, 'ToleranceReviewed')).toBe('reviewed');
    const fact = (type: string, data: object, effectiveAt: string, eventId: string) => ({ type, data, metadata: { eventId, effectiveAt, recordedAt: '2020-06-01T00:00:00Z', actor: 'jw', documentRef: null, revision: 0 } }) as unknown as Fact;
    const live = [
      fact('ToleranceRequested', { caseId: 'tc-1', situation: 'SN-2', covers: ['e-s'], initiatedBy: 'cadre' }, '2020-01-01', 'e-1'),
      fact('ToleranceInvestigated', { caseId: 'tc-1', personalGain: false, knowingViolation: false, expresslyProhibited: false, summary: '核实' }, '2020-02-01', 'e-2'),
      fact('ToleranceDecided', { caseId: 'tc-1', outcome: 'exempted', reason: '符合情形' }, '2020-03-01', 'e-3'),
      fact('ToleranceReviewed', { caseId: 'tc-1' }, '2020-03-10', 'e-4'),
    ];
    const [row] = toleranceCaseRows(live, 'c-1', 'u-1', '2020-03-20', extended);
    expect(row).toMatchObject({ caseId: 'tc-1', step: 'reviewed', outcome: 'exempted', lastStepOn: '2020-03-10', daysWaiting: 10 });
    expect(openSteps(extended)).toEqual(['requested', 'investigated', 'decided', 'reviewed', 'notified']);
  });

  it('is labelled on the dashboard and named in the Chinese refusal', () => {
    const labels = dashboardLabels([extended]);
    expect(labels).toContain('"reviewed":"已复核,待反馈"');
    expect(dashboardLabels()).not.toContain('已复核');
    const sentence = procedureMessagesZh(extended)['tolerance-step-out-of-order'];
    expect(typeof sentence === 'function' ? sentence({ currentStep: 'decided' }) : sentence).toBe('容错程序须依次进行(提出申请→调查核实→认定结论→复核→结果反馈→资料报备),当前步骤:decided');
  });
});
