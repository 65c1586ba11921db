import { ADMINISTRATIVE_SANCTIONS, PARTY_SANCTIONS, type SanctionKind, type SanctionSystem } from '../shared/vocabulary';
import { cadreDeciderSpec, stubPolicy } from '../testing/decider-spec';
import { command, event, registered, retraction } from '../testing/builders';

const spec = cadreDeciderSpec(stubPolicy());

describe('IssueCaution', () => {
  const caution = (effectiveAt: string) =>
    command('IssueCaution', { reason: '落实河长制工作不力，造成不良影响', effectiveAt }, { eventId: 'e-caution', documentRef: '宁纪发〔2020〕12号' });

  it('records CautionIssued', () => {
    spec
      .given([registered()])
      .when(caution('2020-05-08'))
      .then([
        event(
          'CautionIssued',
          { reason: '落实河长制工作不力，造成不良影响' },
          { eventId: 'e-caution', effectiveAt: '2020-05-08', documentRef: '宁纪发〔2020〕12号' },
        ),
      ]);
  });

  it('refuses an effective date later than today', () => {
    spec.given([registered()]).when(caution('2021-07-01')).thenThrows('effective-date-in-future', 'unprocessable');
  });
});

describe('HoldTalk', () => {
  it.each(['reminder', 'admonition'] as const)('records a %s talk', (kind) => {
    spec
      .given([registered()])
      .when(command('HoldTalk', { kind, reason: '重点项目审批拖延', effectiveAt: '2020-04-10' }, { eventId: 'e-talk' }))
      .then([event('TalkHeld', { kind, reason: '重点项目审批拖延' }, { eventId: 'e-talk', effectiveAt: '2020-04-10' })]);
  });

  it('refuses an effective date later than today', () => {
    spec
      .given([registered()])
      .when(command('HoldTalk', { kind: 'reminder', reason: '重点项目审批拖延', effectiveAt: '2021-07-01' }, { eventId: 'e-talk' }))
      .thenThrows('effective-date-in-future', 'unprocessable');
  });

  it('records who held it, and refuses a holder outside the vocabulary', () => {
    const talk = (heldBy: string) => command('HoldTalk', { kind: 'admonition', reason: '落实情况考核排名后两位', heldBy: heldBy as never, effectiveAt: '2020-04-10' }, { eventId: 'e-talk' });
    spec
      .given([registered()])
      .when(talk('organization-department-head'))
      .then([event('TalkHeld', { kind: 'admonition', reason: '落实情况考核排名后两位', heldBy: 'organization-department-head' }, { eventId: 'e-talk', effectiveAt: '2020-04-10' })]);
    spec.given([registered()]).when(talk('mayor')).thenThrows('invalid-talk-holder', 'invalid');
  });
});

describe('ImposeSanction', () => {
  const sanction = (system: SanctionSystem, kind: SanctionKind, probationMonths?: number) =>
    command('ImposeSanction', { system, kind, probationMonths, effectiveAt: '2020-05-08' }, { eventId: 'e-sanction' });
  const imposed = (system: SanctionSystem, kind: SanctionKind, probationMonths?: number) =>
    event(
      'SanctionImposed',
      probationMonths === undefined ? { system, kind } : { system, kind, probationMonths },
      { eventId: 'e-sanction', effectiveAt: '2020-05-08' },
    );

  const ordinary = [
    ...PARTY_SANCTIONS.filter((k) => k !== 'probation').map((kind) => ['party', kind] as const),
    ...ADMINISTRATIVE_SANCTIONS.map((kind) => ['administrative', kind] as const),
  ];

  it.each(ordinary)('records a %s %s', (system, kind) => {
    spec.given([registered()]).when(sanction(system, kind)).then([imposed(system, kind)]);
  });

  it.each([12, 24])('records party probation (留党察看) of %p months', (months) => {
    spec.given([registered()]).when(sanction('party', 'probation', months)).then([imposed('party', 'probation', months)]);
  });

  it.each([
    ['party', 'demerit'],
    ['party', 'dismissal'],
    ['administrative', 'serious-warning'],
    ['administrative', 'probation'],
  ] as const)('refuses a %s sanction of kind %s', (system, kind) => {
    const error = spec.given([registered()]).when(sanction(system, kind)).thenThrows('invalid-sanction-kind', 'invalid');
    expect(error.message).toContain(system);
  });

  it.each([undefined, 6, 18, 36])('refuses party probation of %p months', (months) => {
    spec.given([registered()]).when(sanction('party', 'probation', months)).thenThrows('invalid-probation-months', 'invalid');
  });

  it.each([
    ['party', 'serious-warning'],
    ['administrative', 'demerit'],
  ] as const)('refuses probationMonths on a %s %s', (system, kind) => {
    spec.given([registered()]).when(sanction(system, kind, 12)).thenThrows('invalid-probation-months', 'invalid');
  });

  it('refuses an effective date later than today', () => {
    spec
      .given([registered()])
      .when(command('ImposeSanction', { system: 'party', kind: 'warning', effectiveAt: '2021-07-01' }, { eventId: 'e-sanction' }))
      .thenThrows('effective-date-in-future', 'unprocessable');
  });

  it('records the level that took it, and refuses one that is not a management level', () => {
    const taken = (measureTakenBy: string) => command('ImposeSanction', { system: 'party', kind: 'warning', measureTakenBy: measureTakenBy as never, effectiveAt: '2020-05-08' }, { eventId: 'e-sanction' });
    spec
      .given([registered()])
      .when(taken('provincial'))
      .then([event('SanctionImposed', { system: 'party', kind: 'warning', measureTakenBy: 'provincial' }, { eventId: 'e-sanction', effectiveAt: '2020-05-08' })]);
    spec.given([registered()]).when(taken('township')).thenThrows('invalid-measure-taken-by', 'invalid');
  });
});

const opened = event('InvestigationOpened', { caseId: 'jw-2020-017' }, { eventId: 'e-opened', effectiveAt: '2020-05-08', documentRef: '宁监立〔2020〕17号' });
const closed = event('InvestigationClosed', { caseId: 'jw-2020-017' }, { eventId: 'e-closed', effectiveAt: '2020-09-08' });

describe('OpenInvestigation', () => {
  const open = (caseId: string, effectiveAt = '2020-05-08') =>
    command('OpenInvestigation', { caseId, effectiveAt }, { eventId: 'e-opened', documentRef: '宁监立〔2020〕17号' });

  it('records InvestigationOpened', () => {
    spec.given([registered()]).when(open('jw-2020-017')).then([opened]);
  });

  it('refuses a caseId already used for this cadre', () => {
    spec.given([registered(), opened]).when(open('jw-2020-017', '2020-06-01')).thenThrows('investigation-case-duplicate', 'conflict');
  });

  it('keeps the caseId taken after the investigation is closed', () => {
    spec.given([registered(), opened, closed]).when(open('jw-2020-017', '2020-10-01')).thenThrows('investigation-case-duplicate', 'conflict');
  });

  it('opens a second investigation under another caseId', () => {
    spec
      .given([registered(), opened])
      .when(open('jw-2020-031', '2020-06-01'))
      .then([event('InvestigationOpened', { caseId: 'jw-2020-031' }, { eventId: 'e-opened', effectiveAt: '2020-06-01', documentRef: '宁监立〔2020〕17号' })]);
  });

  it('refuses a malformed caseId', () => {
    spec.given([registered()]).when(open('宁监立〔2020〕17号')).thenThrows('invalid-identifier', 'invalid');
  });

  it('refuses an effective date later than today', () => {
    spec.given([registered()]).when(open('jw-2020-017', '2021-07-01')).thenThrows('effective-date-in-future', 'unprocessable');
  });
});

describe('CloseInvestigation', () => {
  const close = (caseId: string, effectiveAt = '2020-09-08') => command('CloseInvestigation', { caseId, effectiveAt }, { eventId: 'e-closed', documentRef: null });
  const closedHere = (effectiveAt: string) =>
    event('InvestigationClosed', { caseId: 'jw-2020-017' }, { eventId: 'e-closed', effectiveAt, documentRef: null });

  it('records InvestigationClosed', () => {
    spec.given([registered(), opened]).when(close('jw-2020-017')).then([closedHere('2020-09-08')]);
  });

  it('closes on the day it opened', () => {
    spec.given([registered(), opened]).when(close('jw-2020-017', '2020-05-08')).then([closedHere('2020-05-08')]);
  });

  it('refuses an investigation this cadre does not have', () => {
    spec.given([registered(), opened]).when(close('jw-2020-099')).thenThrows('investigation-not-found', 'not-found');
  });

  it('refuses an investigation whose opening was retracted', () => {
    spec
      .given([registered(), opened, retraction('e-retraction', 'e-opened', '2020-06-01')])
      .when(close('jw-2020-017'))
      .thenThrows('investigation-not-found', 'not-found');
  });

  it('refuses to close twice', () => {
    spec.given([registered(), opened, closed]).when(close('jw-2020-017', '2020-10-08')).thenThrows('investigation-already-closed', 'conflict');
  });

  it('closes again once the earlier closure is retracted', () => {
    spec
      .given([registered(), opened, closed, retraction('e-retraction', 'e-closed', '2020-09-20')])
      .when(close('jw-2020-017', '2020-10-08'))
      .then([closedHere('2020-10-08')]);
  });

  it('refuses a closure dated before the opening', () => {
    spec.given([registered(), opened]).when(close('jw-2020-017', '2020-05-07')).thenThrows('closure-before-opening', 'unprocessable');
  });

  it('refuses an effective date later than today', () => {
    spec.given([registered(), opened]).when(close('jw-2020-017', '2021-07-01')).thenThrows('effective-date-in-future', 'unprocessable');
  });
});
