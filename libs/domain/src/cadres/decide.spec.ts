import type { CadreCommand } from '../commands';
import type { BlockingCondition, BlockingLock } from '../policy-port';
import { decide } from '../cadre-stream/decide';
import { evolve, initialCadreState } from '../cadre-stream/state';
import { cadreDeciderSpec, stubPolicy } from '../testing/decider-spec';
import {
  ACTOR,
  CADRE_ID,
  DOCUMENT_REF,
  TODAY,
  UNIT_ID,
  bureauChief,
  command,
  deputyCountyHead,
  event,
  registered,
  retraction,
  type CommandData,
} from '../testing/builders';

const spec = cadreDeciderSpec(stubPolicy());

const registerCommand = (data: Partial<CommandData<'RegisterCadre'>> = {}, today = TODAY) =>
  command(
    'RegisterCadre',
    { cadreId: CADRE_ID, name: '张建国', unitId: UNIT_ID, jurisdiction: 'CN-SN', position: bureauChief, effectiveAt: '2016-03-01', ...data },
    { eventId: 'e-registered', today },
  );

describe('RegisterCadre', () => {
  it('records CadreRegistered with the effective date moved into the metadata', () => {
    spec.given([]).when(registerCommand()).then([registered()]);
  });

  it('accepts an effective date equal to today', () => {
    spec
      .given([])
      .when(registerCommand({ effectiveAt: TODAY }))
      .then([registered({}, { effectiveAt: TODAY })]);
  });

  it('stores documentRef as null when the command has none', () => {
    const withoutRef = { ...registerCommand(), metadata: { eventId: 'e-registered', actor: ACTOR, today: TODAY } };
    spec.given([]).when(withoutRef).then([registered({}, { documentRef: null })]);
  });

  it('refuses a second registration of the same cadre', () => {
    spec.given([registered()]).when(registerCommand()).thenThrows('cadre-already-registered', 'conflict');
  });

  it('refuses a jurisdiction that no rule set configures', () => {
    const error = spec.given([]).when(registerCommand({ jurisdiction: 'CN-XZ' })).thenThrows('unknown-jurisdiction', 'unprocessable');
    expect(error.message).toContain('CN-XZ');
  });

  it('refuses an effective date later than today', () => {
    spec.given([]).when(registerCommand({ effectiveAt: '2021-07-01' })).thenThrows('effective-date-in-future', 'unprocessable');
  });

  it.each(['2021-02-29', '2021/03/01', '2021-3-1', ''])('refuses %j as an effective date', (effectiveAt) => {
    spec.given([]).when(registerCommand({ effectiveAt })).thenThrows('invalid-date', 'invalid');
  });

  it.each([
    ['cadreId', { cadreId: '-c001' }],
    ['cadreId', { cadreId: '张建国' }],
    ['cadreId', { cadreId: 'c'.repeat(65) }],
    ['unitId', { unitId: '宁陕县发改局' }],
    ['unitId', { unitId: 'ningshan fgj' }],
  ])('refuses a malformed %s', (field, data) => {
    const error = spec.given([]).when(registerCommand(data)).thenThrows('invalid-identifier', 'invalid');
    expect(error.message).toContain(field);
  });

  it('accepts an identifier of 64 characters', () => {
    const cadreId = 'c'.repeat(64);
    spec.given([]).when(registerCommand({ cadreId })).then([registered({ cadreId })]);
  });

  it('accepts a documentRef of 200 characters and refuses one of 201', () => {
    const ref200 = '陕'.repeat(200);
    const at = (documentRef: string) => ({ ...registerCommand(), metadata: { ...registerCommand().metadata, documentRef } });
    spec.given([]).when(at(ref200)).then([registered({}, { documentRef: ref200 })]);
    spec.given([]).when(at(`${ref200}号`)).thenThrows('document-ref-too-long', 'invalid');
  });

  it('accepts a note of 2000 characters and refuses one of 2001', () => {
    const note2000 = '县委常委会研究决定。'.repeat(200);
    expect(note2000).toHaveLength(2000);
    spec.given([]).when(registerCommand({ note: note2000 })).then([registered({ note: note2000 })]);
    spec.given([]).when(registerCommand({ note: `${note2000}。` })).thenThrows('note-too-long', 'invalid');
  });
});

/** One well-formed command of every type but RegisterCadre; the Record makes a new type fail to compile. */
const commandsOnACadre: Record<Exclude<CadreCommand['type'], 'RegisterCadre'>, CadreCommand> = {
  TransferCadre: command('TransferCadre', { unitId: 'ningshan-czj', position: bureauChief, effectiveAt: '2019-01-10' }, { eventId: 'e-1' }),
  PromoteCadre: command('PromoteCadre', { newPosition: deputyCountyHead, effectiveAt: '2021-03-15' }, { eventId: 'e-1' }),
  RetractEntry: command('RetractEntry', { eventId: 'e-caution', reason: '录入错误' }, { eventId: 'e-1' }),
  RecordInfluencePeriodEnd: command(
    'RecordInfluencePeriodEnd',
    { lockId: 'l-1', ruleId: 'CN-SN/NSX-16b', sourceEventId: 'e-adjusted', effectiveAt: '2021-03-15' },
    { eventId: 'e-1', actor: 'ledger-clock' },
  ),
  RecordConflictDetected: command(
    'RecordConflictDetected',
    { promotionEventId: 'e-promoted', lockId: 'l-1', ruleId: 'CN/SANCTION-PARTY-WARNING', sourceEventId: 'e-sanction', promotedOn: '2021-03-15', occurrence: 1, effectiveAt: '2021-06-01' },
    { eventId: 'e-1', actor: 'ledger-conflicts' },
  ),
  RecordConflictResolved: command(
    'RecordConflictResolved',
    { promotionEventId: 'e-promoted', lockId: 'l-1', ruleId: 'CN/SANCTION-PARTY-WARNING', occurrence: 1, effectiveAt: '2021-07-01' },
    { eventId: 'e-1', actor: 'ledger-conflicts' },
  ),
  RecordAnnualReview: command('RecordAnnualReview', { year: 2020, grade: 'excellent', effectiveAt: '2021-01-20' }, { eventId: 'e-1' }),
  IssueCommendation: command(
    'IssueCommendation',
    { level: 'provincial', kind: 'citation', title: '全省脱贫攻坚先进个人', effectiveAt: '2021-02-25' },
    { eventId: 'e-1' },
  ),
  IssueCaution: command('IssueCaution', { reason: '落实河长制工作不力', effectiveAt: '2020-05-08' }, { eventId: 'e-1' }),
  HoldTalk: command('HoldTalk', { kind: 'reminder', reason: '项目审批拖延', effectiveAt: '2020-05-08' }, { eventId: 'e-1' }),
  ImposeSanction: command('ImposeSanction', { system: 'party', kind: 'warning', effectiveAt: '2020-05-08' }, { eventId: 'e-1' }),
  OpenInvestigation: command('OpenInvestigation', { caseId: 'jw-2020-017', effectiveAt: '2020-05-08' }, { eventId: 'e-1' }),
  CloseInvestigation: command('CloseInvestigation', { caseId: 'jw-2020-017', effectiveAt: '2020-09-08' }, { eventId: 'e-1' }),
  RequestTolerance: command(
    'RequestTolerance',
    { caseId: 'rc-2020-003', situation: 'SN-3', covers: ['e-caution'], initiatedBy: 'applicant', effectiveAt: '2020-06-01' },
    { eventId: 'e-1' },
  ),
  RecordToleranceFindings: command(
    'RecordToleranceFindings',
    { caseId: 'rc-2020-003', personalGain: false, knowingViolation: false, expresslyProhibited: false, summary: '未谋取私利', effectiveAt: '2020-07-01' },
    { eventId: 'e-1' },
  ),
  DecideTolerance: command('DecideTolerance', { caseId: 'rc-2020-003', outcome: 'exempted', reason: '符合容错情形', effectiveAt: '2020-08-01' }, { eventId: 'e-1' }),
  NotifyTolerance: command('NotifyTolerance', { caseId: 'rc-2020-003', disclosed: true, effectiveAt: '2020-08-05' }, { eventId: 'e-1' }),
  FileTolerance: command('FileTolerance', { caseId: 'rc-2020-003', filedWith: ['discipline-commission'], effectiveAt: '2020-08-10' }, { eventId: 'e-1' }),
  ClearAllegation: command('ClearAllegation', { covers: ['e-caution'], finding: 'unfounded', effectiveAt: '2020-06-01' }, { eventId: 'e-1' }),
  AdjustCadre: command('AdjustCadre', { kind: 'removal', effectiveAt: '2020-06-01' }, { eventId: 'e-1' }),
  RecordCadreFinding: command('RecordCadreFinding', { category: 'leadership-review', kind: 'disunity', effectiveAt: '2020-06-01' }, { eventId: 'e-1' }),
  ReportAdjustment: command('ReportAdjustment', { caseId: 'ad-1', triggers: ['CN-SN/NSX-8-3'], report: { proposedKind: 'transfer-out' }, effectiveAt: '2020-06-01' }, { eventId: 'e-1' }),
  ReviewAdjustment: command('ReviewAdjustment', { caseId: 'ad-1', cadreStatementHeard: true, summary: '核实', effectiveAt: '2020-06-01' }, { eventId: 'e-1' }),
  ApproveAdjustment: command('ApproveAdjustment', { caseId: 'ad-1', approved: true, effectiveAt: '2020-06-01' }, { eventId: 'e-1' }),
  HoldAdjustmentTalk: command('HoldAdjustmentTalk', { caseId: 'ad-1', effectiveAt: '2020-06-01' }, { eventId: 'e-1' }),
};

describe('every command but RegisterCadre, on a cadre never registered', () => {
  it.each(Object.entries(commandsOnACadre))('%s is refused with cadre-not-found', (_type, cmd) => {
    spec.given([]).when(cmd).thenThrows('cadre-not-found', 'not-found');
  });
});

describe('TransferCadre', () => {
  const transfer = (data: Partial<CommandData<'TransferCadre'>> = {}) =>
    command(
      'TransferCadre',
      { unitId: 'ningshan-czj', position: { ...bureauChief, title: '宁陕县财政局局长' }, effectiveAt: '2019-01-10', ...data },
      { eventId: 'e-transfer' },
    );

  it('records CadreTransferred', () => {
    spec
      .given([registered()])
      .when(transfer())
      .then([
        event(
          'CadreTransferred',
          { unitId: 'ningshan-czj', position: { ...bureauChief, title: '宁陕县财政局局长' } },
          { eventId: 'e-transfer', effectiveAt: '2019-01-10' },
        ),
      ]);
  });

  it('refuses a malformed unitId', () => {
    spec.given([registered()]).when(transfer({ unitId: '宁陕县财政局' })).thenThrows('invalid-identifier', 'invalid');
  });

  it('refuses an effective date later than today', () => {
    spec.given([registered()]).when(transfer({ effectiveAt: '2022-01-10' })).thenThrows('effective-date-in-future', 'unprocessable');
  });
});

describe('PromoteCadre', () => {
  const citation = { document: '陕西省推进省管党政领导干部能上能下办法(试行)', article: '第十六条', text: '降职的,两年内不得提拔' };
  const lock: BlockingLock = {
    lockId: 'l-demotion',
    kind: 'demotion',
    ruleId: 'CN-SN/NSX-16b',
    from: '2019-03-15',
    until: '2021-03-15',
    sourceEventId: 'e-adjusted',
    citation,
  };
  const consultation: BlockingCondition = {
    ruleId: 'CN-SN/NSX-16c',
    kind: 'consultation-required',
    since: '2021-03-15',
    citation: { ...citation, text: '期满后提拔的,应当征求上一级组织人事部门意见' },
  };
  const promote = (data: Partial<CommandData<'PromoteCadre'>> = {}) =>
    command('PromoteCadre', { newPosition: deputyCountyHead, effectiveAt: '2021-03-15', ...data }, { eventId: 'e-promoted' });

  it('records CadrePromoted when no lock holds and no consultation is required', () => {
    spec
      .given([registered()])
      .when(promote())
      .then([event('CadrePromoted', { newPosition: deputyCountyHead }, { eventId: 'e-promoted', effectiveAt: '2021-03-15' })]);
  });

  it('asks the policy for the blockers on the promotion’s effective date', () => {
    const promotionBlockers = jest.fn(() => ({ locks: [], consultationRequired: [] }));
    cadreDeciderSpec(stubPolicy({ promotionBlockers }))
      .given([registered()])
      .when(promote({ effectiveAt: '2021-03-14' }))
      .then([event('CadrePromoted', { newPosition: deputyCountyHead }, { eventId: 'e-promoted', effectiveAt: '2021-03-14' })]);
    expect(promotionBlockers).toHaveBeenCalledTimes(1);
    expect(promotionBlockers).toHaveBeenCalledWith('2021-03-14');
  });

  it('refuses a future promotion without asking the policy', () => {
    const promotionBlockers = jest.fn(() => ({ locks: [], consultationRequired: [] }));
    cadreDeciderSpec(stubPolicy({ promotionBlockers }))
      .given([registered()])
      .when(promote({ effectiveAt: '2021-07-01' }))
      .thenThrows('effective-date-in-future', 'unprocessable');
    expect(promotionBlockers).not.toHaveBeenCalled();
  });

  it('refuses while a lock holds, listing the locks the policy gave', () => {
    const locked = stubPolicy({ promotionBlockers: () => ({ locks: [lock], consultationRequired: [] }) });
    const error = cadreDeciderSpec(locked).given([registered()]).when(promote()).thenThrows('promotion-locked', 'conflict');
    expect(error.details.locks).toEqual([lock]);
    expect(error.message).toContain('CN-SN/NSX-16b');
  });

  it('refuses while a lock holds even with a consultationRef', () => {
    const blocked = stubPolicy({ promotionBlockers: () => ({ locks: [lock], consultationRequired: [consultation] }) });
    const error = cadreDeciderSpec(blocked)
      .given([registered()])
      .when(promote({ consultationRef: '陕组函〔2021〕15号' }))
      .thenThrows('promotion-locked', 'conflict');
    expect(error.details.locks).toEqual([lock]);
  });

  it.each([undefined, ''])('refuses when consultation is required and consultationRef is %j', (consultationRef) => {
    const policy = stubPolicy({ promotionBlockers: () => ({ locks: [], consultationRequired: [consultation] }) });
    const error = cadreDeciderSpec(policy)
      .given([registered()])
      .when(promote({ consultationRef }))
      .thenThrows('consultation-required', 'conflict');
    expect(error.details.conditions).toEqual([consultation]);
    expect(error.message).toContain('CN-SN/NSX-16c');
  });

  it('records the promotion with its consultationRef when consultation is required', () => {
    const policy = stubPolicy({ promotionBlockers: () => ({ locks: [], consultationRequired: [consultation] }) });
    cadreDeciderSpec(policy)
      .given([registered()])
      .when(promote({ consultationRef: '陕组函〔2021〕15号' }))
      .then([
        event(
          'CadrePromoted',
          { newPosition: deputyCountyHead, consultationRef: '陕组函〔2021〕15号' },
          { eventId: 'e-promoted', effectiveAt: '2021-03-15' },
        ),
      ]);
  });
});

describe('RetractEntry', () => {
  const caution = event('CautionIssued', { reason: '落实河长制工作不力' }, { eventId: 'e-caution', effectiveAt: '2020-05-08' });
  const retract = (eventId: string, today = TODAY) =>
    command('RetractEntry', { eventId, reason: '录入错误，撤回' }, { eventId: 'e-retraction', today });

  it('records EntryRetracted effective on the command’s today', () => {
    spec
      .given([registered(), caution])
      .when(retract('e-caution', '2021-04-02'))
      .then([retraction('e-retraction', 'e-caution', '2021-04-02')]);
  });

  it('refuses an event that is not in this cadre’s stream', () => {
    const error = spec.given([registered(), caution]).when(retract('e-elsewhere')).thenThrows('unknown-retracted-event', 'unprocessable');
    expect(error.details.eventId).toBe('e-elsewhere');
  });

  it('refuses to retract the same entry twice', () => {
    spec
      .given([registered(), caution, retraction('e-retraction-1', 'e-caution')])
      .when(retract('e-caution'))
      .thenThrows('entry-already-retracted', 'conflict');
  });

  it.each([
    ['CadreRegistered', 'e-registered', []],
    ['EntryRetracted', 'e-retraction-1', [caution, retraction('e-retraction-1', 'e-caution')]],
    [
      'InfluencePeriodEnded',
      'e-ended',
      [
        caution,
        event(
          'InfluencePeriodEnded',
          { lockId: 'l-caution', ruleId: 'CN/GB-caution', sourceEventId: 'e-caution' },
          { eventId: 'e-ended', effectiveAt: '2021-05-08', actor: 'ledger-clock', documentRef: null },
        ),
      ],
    ],
  ] as const)('refuses to retract a %s', (type, targetId, history) => {
    const error = spec
      .given([registered(), ...history])
      .when(retract(targetId))
      .thenThrows('entry-not-retractable', 'conflict');
    expect(error.message).toContain(type);
  });

  describe('an investigation', () => {
    const opened = event('InvestigationOpened', { caseId: 'jw-2020-017' }, { eventId: 'e-opened', effectiveAt: '2020-05-08' });
    const closed = event('InvestigationClosed', { caseId: 'jw-2020-017' }, { eventId: 'e-closed', effectiveAt: '2020-09-08' });

    it('refuses to retract the opening of a closed investigation', () => {
      spec.given([registered(), opened, closed]).when(retract('e-opened')).thenThrows('investigation-closed', 'conflict');
    });

    it('retracts the opening once its closure is retracted', () => {
      spec
        .given([registered(), opened, closed, retraction('e-retraction-1', 'e-closed')])
        .when(retract('e-opened'))
        .then([retraction('e-retraction', 'e-opened')]);
    });
  });

  describe('a tolerance case', () => {
    const requested = event(
      'ToleranceRequested',
      { caseId: 'rc-2020-003', situation: 'SN-3', covers: ['e-caution'], initiatedBy: 'applicant' },
      { eventId: 'e-requested', effectiveAt: '2020-06-01' },
    );
    const investigated = event(
      'ToleranceInvestigated',
      { caseId: 'rc-2020-003', personalGain: false, knowingViolation: false, expresslyProhibited: false, summary: '经核实未谋取私利' },
      { eventId: 'e-investigated', effectiveAt: '2020-07-01' },
    );

    it('refuses to retract a step that is not the case’s latest, naming the current step', () => {
      const error = spec
        .given([registered(), caution, requested, investigated])
        .when(retract('e-requested'))
        .thenThrows('tolerance-step-not-latest', 'conflict');
      expect(error.details.currentStep).toBe('investigated');
    });

    it('retracts the latest step', () => {
      spec
        .given([registered(), caution, requested, investigated])
        .when(retract('e-investigated'))
        .then([retraction('e-retraction', 'e-investigated')]);
    });
  });
});

describe('RecordInfluencePeriodEnd', () => {
  const adjusted = event('CadreAdjusted', { kind: 'demotion', newPosition: { ...bureauChief, level: 'township-deputy' } }, { eventId: 'e-adjusted', effectiveAt: '2019-03-15' });
  const periodEnd = (data: Partial<CommandData<'RecordInfluencePeriodEnd'>> = {}) =>
    command(
      'RecordInfluencePeriodEnd',
      { lockId: 'l-demotion', ruleId: 'CN-SN/NSX-16b', sourceEventId: 'e-adjusted', effectiveAt: '2021-03-15', ...data },
      { eventId: 'e-ended', actor: 'ledger-clock', documentRef: null },
    );
  const ended = event(
    'InfluencePeriodEnded',
    { lockId: 'l-demotion', ruleId: 'CN-SN/NSX-16b', sourceEventId: 'e-adjusted' },
    { eventId: 'e-ended', effectiveAt: '2021-03-15', actor: 'ledger-clock', documentRef: null },
  );

  it('records InfluencePeriodEnded on the lock’s until date', () => {
    spec.given([registered(), adjusted]).when(periodEnd()).then([ended]);
  });

  it('records nothing when the lock’s end is already recorded', () => {
    spec.given([registered(), adjusted, ended]).when(periodEnd()).thenNothing();
  });

  it('records the end of another lock from the same source', () => {
    spec
      .given([registered(), adjusted, ended])
      .when(periodEnd({ lockId: 'l-demotion-bonus', ruleId: 'CN-SN/NSX-17' }))
      .then([
        event(
          'InfluencePeriodEnded',
          { lockId: 'l-demotion-bonus', ruleId: 'CN-SN/NSX-17', sourceEventId: 'e-adjusted' },
          { eventId: 'e-ended', effectiveAt: '2021-03-15', actor: 'ledger-clock', documentRef: null },
        ),
      ]);
  });

  it('refuses a source event that is not in this cadre’s stream', () => {
    spec.given([registered(), adjusted]).when(periodEnd({ sourceEventId: 'e-elsewhere' })).thenThrows('unknown-source-event', 'unprocessable');
  });

  it('refuses a source event that was retracted', () => {
    spec
      .given([registered(), adjusted, retraction('e-retraction', 'e-adjusted')])
      .when(periodEnd({}))
      .thenThrows('unknown-source-event', 'unprocessable');
  });

  it('refuses an end later than today', () => {
    spec.given([registered(), adjusted]).when(periodEnd({ effectiveAt: '2021-07-01' })).thenThrows('effective-date-in-future', 'unprocessable');
  });
});

describe('RecordConflictDetected and RecordConflictResolved (选人用人 audit)', () => {
  const promoted = event('CadrePromoted', { newPosition: deputyCountyHead }, { eventId: 'e-promoted', effectiveAt: '2021-03-15' });
  const sanction = event('SanctionImposed', { system: 'party', kind: 'warning' }, { eventId: 'e-sanction', effectiveAt: '2021-01-10' });
  const pair = { promotionEventId: 'e-promoted', lockId: 'l-warning', ruleId: 'CN/PARTY-WARNING', sourceEventId: 'e-sanction', promotedOn: '2021-03-15' };
  const meta = { eventId: 'e-conflict', actor: 'ledger-conflicts', documentRef: null } as const;
  const detect = (occurrence: number, data: Partial<CommandData<'RecordConflictDetected'>> = {}) =>
    command('RecordConflictDetected', { ...pair, occurrence, effectiveAt: '2021-06-01', ...data }, meta);
  const resolve = (occurrence: number) =>
    command('RecordConflictResolved', { promotionEventId: 'e-promoted', lockId: 'l-warning', ruleId: 'CN/PARTY-WARNING', occurrence, effectiveAt: '2021-06-01' }, meta);
  const detected = (occurrence: number) => event('ConflictDetected', { ...pair, occurrence }, { ...meta, effectiveAt: '2021-06-01' });
  const resolved = (occurrence: number) =>
    event('ConflictResolved', { promotionEventId: 'e-promoted', lockId: 'l-warning', ruleId: 'CN/PARTY-WARNING', occurrence }, { ...meta, effectiveAt: '2021-06-01' });

  it('records a pair the first time it is detected', () => {
    spec.given([registered(), promoted, sanction]).when(detect(1)).then([detected(1)]);
  });

  it('records nothing for a pair that is open already (a second detector, a restart)', () => {
    spec.given([registered(), promoted, sanction, detected(1)]).when(detect(1)).thenNothing();
  });

  it('records a pair that comes back after its resolution as its next occurrence, and refuses any other', () => {
    spec.given([registered(), promoted, sanction, detected(1), resolved(1)]).when(detect(2)).then([detected(2)]);
    spec.given([registered(), promoted, sanction, detected(1), resolved(1)]).when(detect(1)).thenThrows('conflict-occurrence', 'conflict');
    spec.given([registered(), promoted, sanction]).when(detect(2)).thenThrows('conflict-occurrence', 'conflict');
  });

  it('resolves an open pair once, and only its open occurrence', () => {
    spec.given([registered(), promoted, sanction, detected(1)]).when(resolve(1)).then([resolved(1)]);
    spec.given([registered(), promoted, sanction, detected(1), resolved(1)]).when(resolve(1)).thenNothing();
    spec.given([registered(), promoted, sanction]).when(resolve(1)).thenNothing();
    spec.given([registered(), promoted, sanction, detected(1), resolved(1), detected(2)]).when(resolve(1)).thenThrows('conflict-occurrence', 'conflict');
  });

  it('refuses a pair whose promotion is not a promotion of this cadre, or whose lock comes from no fact of it', () => {
    spec.given([registered(), promoted, sanction]).when(detect(1, { promotionEventId: 'e-sanction' })).thenThrows('unknown-promotion', 'unprocessable');
    spec.given([registered(), promoted, sanction]).when(detect(1, { promotionEventId: 'e-elsewhere' })).thenThrows('unknown-promotion', 'unprocessable');
    spec.given([registered(), promoted, sanction]).when(detect(1, { sourceEventId: 'e-elsewhere' })).thenThrows('unknown-source-event', 'unprocessable');
  });

  it('refuses a detection dated after today', () => {
    spec.given([registered(), promoted, sanction]).when(detect(1, { effectiveAt: '2099-01-01' })).thenThrows('effective-date-in-future', 'unprocessable');
  });

  it('cannot be retracted', () => {
    spec.given([registered(), promoted, sanction, detected(1)]).when(command('RetractEntry', { eventId: 'e-conflict', reason: '误判' }, { eventId: 'e-r' })).thenThrows('entry-not-retractable', 'conflict');
  });
});

describe('emitted data', () => {
  it('holds no undefined members, so hashing and JSON round trips agree', () => {
    const state = [registered()].reduce(evolve, initialCadreState());
    const [promoted] = decide(
      command('PromoteCadre', { newPosition: deputyCountyHead, consultationRef: undefined, effectiveAt: '2021-03-15' }, { eventId: 'e-p' }),
      state,
      stubPolicy(),
    );
    expect(Object.keys(promoted.data)).toEqual(['newPosition']);
    expect(promoted.metadata).toEqual({ eventId: 'e-p', effectiveAt: '2021-03-15', actor: ACTOR, documentRef: DOCUMENT_REF });
  });
});
