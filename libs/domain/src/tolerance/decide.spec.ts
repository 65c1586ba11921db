import type { CadreEvent, DecidedEvent } from '../events';
import type { CadreCommand } from '../commands';
import { cadreDeciderSpec, stubPolicy } from '../testing/decider-spec';
import { command, event, registered, researcher, retraction, type CommandData } from '../testing/builders';

const spec = cadreDeciderSpec(stubPolicy());
const CASE = 'rc-2020-003';

// The record a 容错纠错 case is about, and records it may not cover.
const history: DecidedEvent<CadreEvent>[] = [
  registered(),
  event('SanctionImposed', { system: 'administrative', kind: 'demerit' }, { eventId: 'e-sanction', effectiveAt: '2020-03-02' }),
  event('CautionIssued', { reason: '招商引资项目前期论证不充分' }, { eventId: 'e-caution', effectiveAt: '2020-03-10' }),
  event('TalkHeld', { kind: 'admonition', reason: '项目推进中程序不规范' }, { eventId: 'e-talk', effectiveAt: '2020-03-12' }),
  event('CadreAdjusted', { kind: 'non-leadership', newPosition: researcher }, { eventId: 'e-adjusted', effectiveAt: '2020-03-20' }),
  event('CommendationIssued', { level: 'county', kind: 'citation', title: '全县优秀共产党员' }, { eventId: 'e-commendation', effectiveAt: '2019-07-01' }),
  event('InvestigationOpened', { caseId: 'jw-2020-017' }, { eventId: 'e-opened', effectiveAt: '2020-02-15' }),
];

const requested = event(
  'ToleranceRequested',
  { caseId: CASE, situation: 'SN-3', covers: ['e-sanction', 'e-caution'], initiatedBy: 'applicant' },
  { eventId: 'e-requested', effectiveAt: '2020-04-01' },
);
const cleanFindings = { personalGain: false, knowingViolation: false, expresslyProhibited: false, summary: '经调查核实，系改革探索中的失误，未谋取私利' };
const investigated = event('ToleranceInvestigated', { caseId: CASE, ...cleanFindings }, { eventId: 'e-investigated', effectiveAt: '2020-05-01' });
const decided = event('ToleranceDecided', { caseId: CASE, outcome: 'exempted', reason: '符合容错情形，予以免责' }, { eventId: 'e-decided', effectiveAt: '2020-06-01' });
const notified = event('ToleranceNotified', { caseId: CASE, disclosed: true }, { eventId: 'e-notified', effectiveAt: '2020-06-05' });
const filed = event('ToleranceFiled', { caseId: CASE, filedWith: ['discipline-commission', 'organization-department'] }, { eventId: 'e-filed', effectiveAt: '2020-06-10' });

type RequestData = CommandData<'RequestTolerance'>;
const request = (data: Partial<RequestData> = {}) =>
  command(
    'RequestTolerance',
    { caseId: CASE, situation: 'SN-3', covers: ['e-sanction', 'e-caution'], initiatedBy: 'applicant', effectiveAt: '2020-04-01', ...data },
    { eventId: 'e-requested' },
  );

describe('RequestTolerance', () => {
  it('records ToleranceRequested', () => {
    spec.given(history).when(request()).then([requested]);
  });

  it.each(['e-sanction', 'e-caution', 'e-talk', 'e-adjusted'])('may cover %s', (covered) => {
    spec
      .given(history)
      .when(request({ covers: [covered], initiatedBy: 'authority' }))
      .then([event('ToleranceRequested', { caseId: CASE, situation: 'SN-3', covers: [covered], initiatedBy: 'authority' }, { eventId: 'e-requested', effectiveAt: '2020-04-01' })]);
  });

  it('asks the policy for the situations of the cadre’s jurisdiction on the effective date', () => {
    const toleranceSituations = jest.fn(() => ['SN-3']);
    cadreDeciderSpec(stubPolicy({ toleranceSituations })).given(history).when(request()).then([requested]);
    expect(toleranceSituations).toHaveBeenCalledWith('CN-SN', '2020-04-01');
  });

  it('refuses a caseId already used for this cadre', () => {
    spec.given([...history, requested]).when(request({ covers: ['e-talk'] })).thenThrows('tolerance-case-duplicate', 'conflict');
  });

  it('keeps the caseId taken after the request is retracted', () => {
    spec
      .given([...history, requested, retraction('e-retraction', 'e-requested', '2020-04-03')])
      .when(request())
      .thenThrows('tolerance-case-duplicate', 'conflict');
  });

  it('refuses a situation the rule sets do not define, listing those they do', () => {
    const error = spec.given(history).when(request({ situation: 'SN-9' })).thenThrows('unknown-situation', 'unprocessable');
    expect(error.details.situations).toEqual(['SN-1', 'SN-2', 'SN-3']);
    expect(error.message).toContain('SN-9');
    expect(error.message).toContain('SN-1, SN-2, SN-3');
  });

  it('says so when the rule sets in force define no situation at all', () => {
    const error = cadreDeciderSpec(stubPolicy({ toleranceSituations: () => [] }))
      .given(history)
      .when(request())
      .thenThrows('unknown-situation', 'unprocessable');
    expect(error.details.situations).toEqual([]);
    expect(error.message).toBe('the rule sets of CN-SN in force on 2020-04-01 define no tolerance situations');
  });

  it('refuses to cover an event that is not in this cadre’s stream', () => {
    const error = spec.given(history).when(request({ covers: ['e-sanction', 'e-elsewhere'] })).thenThrows('unknown-covered-event', 'unprocessable');
    expect(error.details.eventId).toBe('e-elsewhere');
  });

  it('refuses to cover a retracted event', () => {
    spec
      .given([...history, retraction('e-retraction', 'e-caution', '2020-03-25')])
      .when(request())
      .thenThrows('unknown-covered-event', 'unprocessable');
  });

  it.each(['e-commendation', 'e-opened', 'e-registered'])('refuses to cover %s', (covered) => {
    const error = spec.given(history).when(request({ covers: [covered] })).thenThrows('uncoverable-event', 'unprocessable');
    expect(error.details.eventId).toBe(covered);
  });

  it('refuses empty covers', () => {
    spec.given(history).when(request({ covers: [] })).thenThrows('covers-empty', 'invalid');
  });

  it('refuses covers naming an event twice', () => {
    spec.given(history).when(request({ covers: ['e-caution', 'e-caution'] })).thenThrows('covers-duplicate', 'invalid');
  });

  it('refuses a malformed caseId', () => {
    spec.given(history).when(request({ caseId: '容错-2020-3' })).thenThrows('invalid-identifier', 'invalid');
  });
});

const findings = (effectiveAt = '2020-05-01', flags: Partial<typeof cleanFindings> = {}) =>
  command('RecordToleranceFindings', { caseId: CASE, ...cleanFindings, ...flags, effectiveAt }, { eventId: 'e-investigated' });
const decision = (data: Partial<CommandData<'DecideTolerance'>> = {}) =>
  command('DecideTolerance', { caseId: CASE, outcome: 'exempted', reason: '符合容错情形，予以免责', effectiveAt: '2020-06-01', ...data }, { eventId: 'e-decided' });
const notification = (effectiveAt = '2020-06-05') => command('NotifyTolerance', { caseId: CASE, disclosed: true, effectiveAt }, { eventId: 'e-notified' });
const filing = (filedWith: CommandData<'FileTolerance'>['filedWith'] = ['discipline-commission', 'organization-department'], effectiveAt = '2020-06-10') =>
  command('FileTolerance', { caseId: CASE, filedWith, effectiveAt }, { eventId: 'e-filed' });

describe('tolerance steps: requested → findings → decision → notification → filing', () => {
  it('records the findings of a requested case', () => {
    spec.given([...history, requested]).when(findings()).then([investigated]);
  });

  it('records the decision once findings are in', () => {
    spec.given([...history, requested, investigated]).when(decision()).then([decided]);
  });

  it('records the notification once decided', () => {
    spec.given([...history, requested, investigated, decided]).when(notification()).then([notified]);
  });

  it('records the filing once notified', () => {
    spec.given([...history, requested, investigated, decided, notified]).when(filing()).then([filed]);
  });

  const steps = [requested, investigated, decided, notified, filed];
  it.each([
    ['findings', 'investigated', 2, findings()],
    ['findings', 'filed', 5, findings()],
    ['decision', 'requested', 1, decision()],
    ['decision', 'decided', 3, decision()],
    ['notification', 'requested', 1, notification()],
    ['notification', 'investigated', 2, notification()],
    ['filing', 'decided', 3, filing()],
    ['filing', 'filed', 5, filing()],
  ] as [string, string, number, CadreCommand][])('refuses %s while the case is at %s, naming that step', (_step, current, taken, cmd) => {
    const error = spec
      .given([...history, ...steps.slice(0, taken)])
      .when(cmd)
      .thenThrows('tolerance-step-out-of-order', 'conflict');
    expect(error.details.currentStep).toBe(current);
  });

  it.each([
    ['findings', findings()],
    ['decision', decision()],
    ['notification', notification()],
    ['filing', filing()],
  ] as [string, CadreCommand][])('refuses %s on a case this cadre does not have', (_step, cmd) => {
    spec.given(history).when(cmd).thenThrows('tolerance-case-not-found', 'not-found');
  });

  it('refuses a step on a case whose request was retracted', () => {
    spec
      .given([...history, requested, retraction('e-retraction', 'e-requested', '2020-04-03')])
      .when(findings())
      .thenThrows('tolerance-case-not-found', 'not-found');
  });

  it.each([
    ['findings', [requested], findings('2020-03-31')],
    ['decision', [requested, investigated], decision({ effectiveAt: '2020-04-30' })],
    ['notification', [requested, investigated, decided], notification('2020-05-31')],
    ['filing', [requested, investigated, decided, notified], filing(undefined, '2020-06-04')],
  ] as [string, DecidedEvent<CadreEvent>[], CadreCommand][])('refuses %s dated before the previous step', (_step, taken, cmd) => {
    spec.given([...history, ...taken]).when(cmd).thenThrows('tolerance-step-before-previous', 'conflict');
  });

  it('records a step on the same day as the previous one', () => {
    spec
      .given([...history, requested])
      .when(findings('2020-04-01'))
      .then([event('ToleranceInvestigated', { caseId: CASE, ...cleanFindings }, { eventId: 'e-investigated', effectiveAt: '2020-04-01' })]);
  });

  it('refuses a step dated later than today', () => {
    spec.given([...history, requested]).when(findings('2021-07-01')).thenThrows('effective-date-in-future', 'unprocessable');
  });

  it('takes the step again once it is retracted', () => {
    spec
      .given([...history, requested, investigated, decided, retraction('e-retraction', 'e-decided', '2020-06-02')])
      .when(decision({ outcome: 'rejected', reason: '不符合容错情形', effectiveAt: '2020-06-03' }))
      .then([event('ToleranceDecided', { caseId: CASE, outcome: 'rejected', reason: '不符合容错情形' }, { eventId: 'e-decided', effectiveAt: '2020-06-03' })]);
  });
});

describe('DecideTolerance: 三个区分开来', () => {
  const flags = ['personalGain', 'knowingViolation', 'expresslyProhibited'] as const;
  const investigatedWith = (found: Partial<Record<(typeof flags)[number], boolean>>) =>
    event('ToleranceInvestigated', { caseId: CASE, ...cleanFindings, ...found, summary: '经调查核实' }, { eventId: 'e-investigated', effectiveAt: '2020-05-01' });
  const mitigatedTo = { system: 'administrative', kind: 'warning' } as const;

  describe.each(flags)('when the findings establish %s', (flag) => {
    const given = [...history, requested, investigatedWith({ [flag]: true })];

    it('refuses an exemption, naming the flag', () => {
      const error = spec.given(given).when(decision({ outcome: 'exempted' })).thenThrows('tolerance-excluded', 'unprocessable');
      expect(error.details.exclusions).toEqual([flag]);
      expect(error.message).toContain(flag);
    });

    it('refuses a mitigation, naming the flag', () => {
      const error = spec.given(given).when(decision({ outcome: 'mitigated', mitigatedTo })).thenThrows('tolerance-excluded', 'unprocessable');
      expect(error.details.exclusions).toEqual([flag]);
    });

    it('records a rejection', () => {
      spec
        .given(given)
        .when(decision({ outcome: 'rejected', reason: '不予容错' }))
        .then([event('ToleranceDecided', { caseId: CASE, outcome: 'rejected', reason: '不予容错' }, { eventId: 'e-decided', effectiveAt: '2020-06-01' })]);
    });
  });

  it('names every flag the findings establish', () => {
    const error = spec
      .given([...history, requested, investigatedWith({ personalGain: true, knowingViolation: true, expresslyProhibited: true })])
      .when(decision())
      .thenThrows('tolerance-excluded', 'unprocessable');
    expect(error.details.exclusions).toEqual([...flags]);
  });

  it('judges by the findings that stand after earlier findings were retracted', () => {
    spec
      .given([
        ...history,
        requested,
        investigatedWith({ personalGain: true }),
        retraction('e-retraction', 'e-investigated', '2020-05-02'),
        event('ToleranceInvestigated', { caseId: CASE, ...cleanFindings }, { eventId: 'e-investigated-2', effectiveAt: '2020-05-03' }),
      ])
      .when(decision())
      .then([decided]);
  });

  it('records a mitigation with the sanction it mitigates to', () => {
    const sanctionOnly = event('ToleranceRequested', { caseId: CASE, situation: 'SN-3', covers: ['e-sanction'], initiatedBy: 'applicant' }, { eventId: 'e-requested', effectiveAt: '2020-04-01' });
    spec
      .given([...history, sanctionOnly, investigated])
      .when(decision({ outcome: 'mitigated', mitigatedTo, reason: '予以从轻处理' }))
      .then([event('ToleranceDecided', { caseId: CASE, outcome: 'mitigated', mitigatedTo, reason: '予以从轻处理' }, { eventId: 'e-decided', effectiveAt: '2020-06-01' })]);
  });

  it('refuses a mitigation without mitigatedTo', () => {
    spec.given([...history, requested, investigated]).when(decision({ outcome: 'mitigated' })).thenThrows('mitigated-to-missing', 'invalid');
  });

  it.each(['exempted', 'rejected'] as const)('refuses mitigatedTo with outcome %s', (outcome) => {
    const error = spec.given([...history, requested, investigated]).when(decision({ outcome, mitigatedTo })).thenThrows('mitigated-to-unexpected', 'unprocessable');
    expect(error.message).toContain(outcome);
  });

  it.each([
    ['party', 'demerit'],
    ['administrative', 'serious-warning'],
  ] as const)('refuses mitigatedTo a %s %s', (system, kind) => {
    spec
      .given([...history, requested, investigated])
      .when(decision({ outcome: 'mitigated', mitigatedTo: { system, kind } }))
      .thenThrows('invalid-sanction-kind', 'invalid');
  });
});

describe('FileTolerance', () => {
  const notifiedCase = [...history, requested, investigated, decided, notified];

  it('records filing with one body', () => {
    spec
      .given(notifiedCase)
      .when(filing(['organization-department']))
      .then([event('ToleranceFiled', { caseId: CASE, filedWith: ['organization-department'] }, { eventId: 'e-filed', effectiveAt: '2020-06-10' })]);
  });

  it('refuses an empty filedWith', () => {
    spec.given(notifiedCase).when(filing([])).thenThrows('invalid-filed-with', 'invalid');
  });

  it('refuses a filedWith naming a body twice', () => {
    spec.given(notifiedCase).when(filing(['discipline-commission', 'discipline-commission'])).thenThrows('invalid-filed-with', 'invalid');
  });
});

describe('ClearAllegation: 澄清正名', () => {
  const clear = (covers: string[]) =>
    command('ClearAllegation', { covers, finding: 'false-accusation', effectiveAt: '2020-09-01' }, { eventId: 'e-cleared', documentRef: '宁纪函〔2020〕45号' });

  it('records AllegationCleared covering a caution and an investigation', () => {
    spec
      .given(history)
      .when(clear(['e-caution', 'e-opened']))
      .then([
        event(
          'AllegationCleared',
          { covers: ['e-caution', 'e-opened'], finding: 'false-accusation' },
          { eventId: 'e-cleared', effectiveAt: '2020-09-01', documentRef: '宁纪函〔2020〕45号' },
        ),
      ]);
  });

  it('refuses to cover an event that is not in this cadre’s stream', () => {
    const error = spec.given(history).when(clear(['e-caution', 'e-elsewhere'])).thenThrows('unknown-covered-event', 'unprocessable');
    expect(error.details.eventId).toBe('e-elsewhere');
  });

  it('refuses to cover a commendation', () => {
    spec.given(history).when(clear(['e-commendation'])).thenThrows('uncoverable-event', 'unprocessable');
  });

  it('refuses empty covers', () => {
    spec.given(history).when(clear([])).thenThrows('covers-empty', 'invalid');
  });

  it('refuses an effective date later than today', () => {
    spec
      .given(history)
      .when(command('ClearAllegation', { covers: ['e-caution'], finding: 'unfounded', effectiveAt: '2021-07-01' }, { eventId: 'e-cleared' }))
      .thenThrows('effective-date-in-future', 'unprocessable');
  });
});


describe('a decision covers only facts before it', () => {
  const sanction = event('SanctionImposed', { system: 'administrative', kind: 'demerit' }, { eventId: 'e-late-sanction', effectiveAt: '2021-03-02' });

  it('refuses a clearance dated before the sanction it would clear', () => {
    const error = spec
      .given([registered(), sanction])
      .when(command('ClearAllegation', { covers: ['e-late-sanction'], finding: 'unfounded', effectiveAt: '2018-01-01' }, { eventId: 'e-cleared' }))
      .thenThrows('covers-later-fact', 'unprocessable');
    expect(error.details).toEqual({ eventId: 'e-late-sanction' });
  });

  it('accepts a clearance on or after the day of what it clears', () => {
    spec
      .given([registered(), sanction])
      .when(command('ClearAllegation', { covers: ['e-late-sanction'], finding: 'unfounded', effectiveAt: '2021-03-02' }, { eventId: 'e-cleared' }))
      .then([event('AllegationCleared', { covers: ['e-late-sanction'], finding: 'unfounded' }, { eventId: 'e-cleared', effectiveAt: '2021-03-02' })]);
  });

  it('refuses a tolerance request dated before a fact it covers', () => {
    spec
      .given([registered(), sanction])
      .when(request({ covers: ['e-late-sanction'], effectiveAt: '2020-04-01' }))
      .thenThrows('covers-later-fact', 'unprocessable');
  });
});

describe('DecideTolerance: mitigation is lighter only (容错纠错办法 第九条(五): 减责), on the scales of API.md', () => {
  const covering = (covers: string[]) =>
    [...history, event('ToleranceRequested', { caseId: CASE, situation: 'SN-3', covers, initiatedBy: 'applicant' }, { eventId: 'e-requested', effectiveAt: '2020-04-01' }), investigated];
  const mitigate = (mitigatedTo: CommandData<'DecideTolerance'>['mitigatedTo']) => decision({ outcome: 'mitigated', mitigatedTo, reason: '减责' });
  const accepted = (covers: string[], mitigatedTo: CommandData<'DecideTolerance'>['mitigatedTo']) =>
    spec.given(covering(covers)).when(mitigate(mitigatedTo)).then([event('ToleranceDecided', { caseId: CASE, outcome: 'mitigated', mitigatedTo, reason: '减责' }, { eventId: 'e-decided', effectiveAt: '2020-06-01' })]);

  it.each([
    [['e-sanction'], { system: 'administrative', kind: 'warning' }],
    [['e-sanction'], { system: 'organizational', kind: 'transfer-out' }],
    [['e-sanction'], { system: 'caution' }],
    [['e-adjusted'], { system: 'organizational', kind: 'transfer-out' }],
    [['e-adjusted'], { system: 'caution' }],
    [['e-sanction', 'e-adjusted'], { system: 'caution' }],
  ] as const)('accepts %j mitigated to %j', (covers, mitigatedTo) => accepted([...covers], mitigatedTo));

  it.each([
    ['a caution mitigated to 开除党籍 (heavier)', ['e-caution'], { system: 'party', kind: 'expulsion' }],
    ['a caution mitigated to a party warning (a sanction is heavier than a caution)', ['e-caution'], { system: 'party', kind: 'warning' }],
    ['a caution, the lightest measure, mitigated to a caution', ['e-caution'], { system: 'caution' }],
    ['a demerit mitigated to a demerit', ['e-sanction'], { system: 'administrative', kind: 'demerit' }],
    ['a demerit mitigated to a heavier dismissal', ['e-sanction'], { system: 'administrative', kind: 'dismissal' }],
    ['an administrative demerit mitigated to a party warning (another scale)', ['e-sanction'], { system: 'party', kind: 'warning' }],
    ['a non-leadership adjustment mitigated to a demotion', ['e-adjusted'], { system: 'organizational', kind: 'demotion' }],
    ['an adjustment mitigated to a sanction', ['e-adjusted'], { system: 'administrative', kind: 'warning' }],
    ['a talk, which has nothing lighter', ['e-talk'], { system: 'caution' }],
    ['two facts where the measure is lighter than only one of them', ['e-sanction', 'e-adjusted'], { system: 'organizational', kind: 'removal' }],
  ] as const)('refuses %s (422, naming the scales)', (_what, covers, mitigatedTo) => {
    const error = spec.given(covering([...covers])).when(mitigate(mitigatedTo)).thenThrows('mitigation-not-lighter', 'unprocessable');
    expect(error.message).toContain('caution < organizational transfer-out < non-leadership < removal < demotion');
  });

  it('refuses a mitigation that is no measure: an organizational kind that is not one, a caution with a kind, probation without its months', () => {
    spec.given(covering(['e-sanction'])).when(mitigate({ system: 'organizational', kind: 'warning' } as never)).thenThrows('invalid-mitigation', 'invalid');
    spec.given(covering(['e-sanction'])).when(mitigate({ system: 'caution', kind: 'warning' } as never)).thenThrows('invalid-mitigation', 'invalid');
    spec.given(covering(['e-sanction'])).when(mitigate({ system: 'party', kind: 'probation' })).thenThrows('invalid-mitigation', 'invalid');
  });
});
