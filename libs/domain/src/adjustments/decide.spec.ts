import { cadreDeciderSpec, stubPolicy } from '../testing/decider-spec';
import { bureauChief, command, deputyBureauChief, event, registered, researcher, type CommandData } from '../testing/builders';

const spec = cadreDeciderSpec(stubPolicy());

type AdjustData = CommandData<'AdjustCadre'>;
const adjust = (data: AdjustData) => command('AdjustCadre', data, { eventId: 'e-adjusted', documentRef: '宁组干〔2020〕8号' });
const adjusted = (data: Omit<AdjustData, 'effectiveAt'>, effectiveAt = '2020-06-01') =>
  event('CadreAdjusted', data, { eventId: 'e-adjusted', effectiveAt, documentRef: '宁组干〔2020〕8号' });

const otherBureau = { ...bureauChief, title: '宁陕县统计局局长', principal: true };

describe('AdjustCadre: 能下', () => {
  it('records a transfer-out (调离岗位) with the new post', () => {
    spec
      .given([registered()])
      .when(adjust({ kind: 'transfer-out', newPosition: otherBureau, effectiveAt: '2020-06-01' }))
      .then([adjusted({ kind: 'transfer-out', newPosition: otherBureau })]);
  });

  it('records a change to a non-leadership post (改任非领导职务) and the trigger that prompted it', () => {
    spec
      .given([registered()])
      .when(adjust({ kind: 'non-leadership', newPosition: researcher, trigger: 'annual-review', effectiveAt: '2020-06-01' }))
      .then([adjusted({ kind: 'non-leadership', newPosition: researcher, trigger: 'annual-review' })]);
  });

  it('records a removal (免职) without a post', () => {
    spec
      .given([registered()])
      .when(adjust({ kind: 'removal', trigger: 'dismissal-review', effectiveAt: '2020-06-01' }))
      .then([adjusted({ kind: 'removal', trigger: 'dismissal-review' })]);
  });

  it('records a demotion (降职) with the lower post', () => {
    spec
      .given([registered()])
      .when(adjust({ kind: 'demotion', newPosition: deputyBureauChief, trigger: 'demote-one-level', effectiveAt: '2020-06-01' }))
      .then([adjusted({ kind: 'demotion', newPosition: deputyBureauChief, trigger: 'demote-one-level' })]);
  });

  it('records the level that took it beside the level after it (a 省管 cadre demoted to a 市管 post), and refuses one that is not a management level', () => {
    spec
      .given([registered()])
      .when(adjust({ kind: 'demotion', newPosition: deputyBureauChief, managedBy: 'municipal', measureTakenBy: 'provincial', effectiveAt: '2020-06-01' }))
      .then([adjusted({ kind: 'demotion', newPosition: deputyBureauChief, managedBy: 'municipal', measureTakenBy: 'provincial' })]);
    spec
      .given([registered()])
      .when(adjust({ kind: 'removal', measureTakenBy: 'village' as never, effectiveAt: '2020-06-01' }))
      .thenThrows('invalid-measure-taken-by', 'invalid');
  });

  it('refuses a removal that names a new post', () => {
    spec
      .given([registered()])
      .when(adjust({ kind: 'removal', newPosition: researcher, effectiveAt: '2020-06-01' }))
      .thenThrows('removal-with-position', 'unprocessable');
  });

  it('refuses a non-leadership adjustment to a leadership post', () => {
    spec
      .given([registered()])
      .when(adjust({ kind: 'non-leadership', newPosition: deputyBureauChief, effectiveAt: '2020-06-01' }))
      .thenThrows('non-leadership-position-is-leading', 'unprocessable');
  });

  it('refuses an effective date later than today', () => {
    spec
      .given([registered()])
      .when(adjust({ kind: 'demotion', newPosition: deputyBureauChief, effectiveAt: '2021-07-01' }))
      .thenThrows('effective-date-in-future', 'unprocessable');
  });

  it('refuses a note longer than 2000 characters', () => {
    spec
      .given([registered()])
      .when(adjust({ kind: 'removal', note: '因违反中央八项规定精神受到处分，'.repeat(126), effectiveAt: '2020-06-01' }))
      .thenThrows('note-too-long', 'invalid');
  });
});

describe('the 第十五条 adjustment case: 报告 → 审核 → 报批 → 决定 → 谈话', () => {
  const standing = stubPolicy({
    openReviewTriggers: () => [
      { ruleId: 'CN-SN/NSX-12-1', kind: 'nsx-12-1', since: '2020-03-01', answeredByAdjustment: true },
      { ruleId: 'CN/KH-21', kind: 'caution-required', since: '2020-03-01', answeredByAdjustment: false },
    ],
  });
  const caseSpec = cadreDeciderSpec(standing);
  const reported = event('AdjustmentReported', { caseId: 'ad-1', triggers: ['CN-SN/NSX-12-1'], report: { proposedKind: 'non-leadership' } }, { eventId: 'e-r', effectiveAt: '2020-04-01' });
  const heard = event('AdjustmentReviewed', { caseId: 'ad-1', cadreStatementHeard: true, summary: '听取本人说明' }, { eventId: 'e-v', effectiveAt: '2020-04-10' });
  const unheard = event('AdjustmentReviewed', { caseId: 'ad-1', cadreStatementHeard: false, summary: '未听取' }, { eventId: 'e-v', effectiveAt: '2020-04-10' });
  const approved = event('AdjustmentApproved', { caseId: 'ad-1', approved: true }, { eventId: 'e-a', effectiveAt: '2020-05-01' });
  const refused = event('AdjustmentApproved', { caseId: 'ad-1', approved: false }, { eventId: 'e-a', effectiveAt: '2020-05-01' });
  const decision = (kind: AdjustData['kind'], effectiveAt = '2020-06-01') =>
    command('AdjustCadre', { caseId: 'ad-1', kind, ...(kind === 'removal' ? {} : { newPosition: researcher }), effectiveAt }, { eventId: 'e-d' });

  it('opens on a standing trigger an adjustment answers', () => {
    caseSpec
      .given([registered()])
      .when(command('ReportAdjustment', { caseId: 'ad-1', triggers: ['CN-SN/NSX-12-1'], report: { proposedKind: 'non-leadership' }, effectiveAt: '2020-04-01' }, { eventId: 'e-r' }))
      .then([reported]);
  });

  it.each([['CN/KH-21'], ['CN-SN/NSX-6-1']])('refuses a report naming %s, which no adjustment answers on its date (422, the standing ones named)', (ruleId) => {
    const error = caseSpec
      .given([registered()])
      .when(command('ReportAdjustment', { caseId: 'ad-1', triggers: [ruleId], report: { proposedKind: 'non-leadership' }, effectiveAt: '2020-04-01' }, { eventId: 'e-r' }))
      .thenThrows('trigger-not-open', 'unprocessable');
    expect(error.details.openTriggers).toEqual(['CN-SN/NSX-12-1']);
  });

  it('takes the steps in order, each dated on or after the one before (409 otherwise)', () => {
    caseSpec.given([registered(), reported]).when(command('ApproveAdjustment', { caseId: 'ad-1', approved: true, effectiveAt: '2020-05-01' }, { eventId: 'e-a' })).thenThrows('adjustment-step-out-of-order', 'conflict');
    caseSpec.given([registered(), reported]).when(command('ReviewAdjustment', { caseId: 'ad-1', cadreStatementHeard: true, summary: '核实', effectiveAt: '2020-03-31' }, { eventId: 'e-v' })).thenThrows('adjustment-step-before-previous', 'conflict');
    caseSpec.given([registered(), reported, heard, approved]).when(command('HoldAdjustmentTalk', { caseId: 'ad-1', effectiveAt: '2020-06-02' }, { eventId: 'e-t' })).thenThrows('adjustment-step-out-of-order', 'conflict');
    caseSpec.given([registered()]).when(command('ReviewAdjustment', { caseId: 'ad-9', cadreStatementHeard: true, summary: '核实', effectiveAt: '2020-04-10' }, { eventId: 'e-v' })).thenThrows('adjustment-case-not-found', 'not-found');
  });

  it('refuses an approval after a review that did not hear the cadre (422)', () => {
    caseSpec.given([registered(), reported, unheard]).when(command('ApproveAdjustment', { caseId: 'ad-1', approved: true, effectiveAt: '2020-05-01' }, { eventId: 'e-a' })).thenThrows('cadre-not-heard', 'unprocessable');
  });

  it('decides the approved kind or a lighter one, never a heavier one', () => {
    caseSpec.given([registered(), reported, heard, approved]).when(decision('transfer-out')).then([event('CadreAdjusted', { caseId: 'ad-1', kind: 'transfer-out', newPosition: researcher }, { eventId: 'e-d', effectiveAt: '2020-06-01' })]);
    const error = caseSpec.given([registered(), reported, heard, approved]).when(decision('removal')).thenThrows('decision-heavier-than-approved', 'unprocessable');
    expect(error.details.approvedKind).toBe('non-leadership');
  });

  it('is closed by an approval that says no: no decision follows (409)', () => {
    caseSpec.given([registered(), reported, heard, refused]).when(decision('transfer-out')).thenThrows('adjustment-case-closed', 'conflict');
  });

  it('holds the talk after the decision, and lets only the latest step be retracted', () => {
    const decided = event('CadreAdjusted', { caseId: 'ad-1', kind: 'non-leadership', newPosition: researcher }, { eventId: 'e-d', effectiveAt: '2020-06-01' });
    caseSpec.given([registered(), reported, heard, approved, decided]).when(command('HoldAdjustmentTalk', { caseId: 'ad-1', effectiveAt: '2020-06-02' }, { eventId: 'e-t' })).then([event('AdjustmentTalkHeld', { caseId: 'ad-1' }, { eventId: 'e-t', effectiveAt: '2020-06-02' })]);
    caseSpec.given([registered(), reported, heard, approved, decided]).when(command('RetractEntry', { eventId: 'e-v', reason: '录入错误' }, { eventId: 'e-x' })).thenThrows('adjustment-step-not-latest', 'conflict');
  });
});
