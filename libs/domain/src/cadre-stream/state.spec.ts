import type { CadreEvent, DecidedEvent } from '../events';
import { bureauChief, deputyCountyHead, event, registered, researcher, retraction, UNIT_ID } from '../testing/builders';
import { currentPlacement } from '../cadres/state';
import { currentStep } from '../tolerance/state';
import { evolve, initialCadreState, type RegisteredCadre } from './state';

const fold = (events: DecidedEvent<CadreEvent>[]): RegisteredCadre => {
  const state = events.reduce(evolve, initialCadreState());
  if (!state.registered) throw new Error('the history in this spec starts with CadreRegistered');
  return state;
};

describe('evolve', () => {
  it('starts the cadre at its registration', () => {
    const state = fold([registered()]);
    expect(state).toMatchObject({ cadreId: 'c-001', name: '张建国', jurisdiction: 'CN-SN', length: 1 });
    expect(currentPlacement(state)).toEqual({ eventId: 'e-registered', effectiveAt: '2016-03-01', unitId: UNIT_ID, position: bureauChief, order: 0 });
    expect(state.entries.get('e-registered')).toEqual({ type: 'CadreRegistered', effectiveAt: '2016-03-01', retracted: false });
  });

  it('only counts events before a registration', () => {
    const caution = event('CautionIssued', { reason: '工作不力' }, { eventId: 'e-caution', effectiveAt: '2020-05-08' });
    expect(evolve(initialCadreState(), caution)).toEqual({ registered: false, length: 1 });
  });

  it('records which influence periods have ended', () => {
    const state = fold([
      registered(),
      event('CautionIssued', { reason: '工作不力' }, { eventId: 'e-caution', effectiveAt: '2020-05-08' }),
      event('InfluencePeriodEnded', { lockId: 'l-caution', ruleId: 'CN/GB-caution', sourceEventId: 'e-caution' }, { eventId: 'e-ended', effectiveAt: '2021-05-08' }),
    ]);
    expect([...state.periodsEnded]).toEqual(['l-caution']);
    expect(state.length).toBe(3);
  });
});

describe('currentPlacement', () => {
  const transfer = (eventId: string, unitId: string, effectiveAt: string) =>
    event('CadreTransferred', { unitId, position: { ...bureauChief, title: '局长' } }, { eventId, effectiveAt });

  it('is the latest by effective date, so a backdated transfer entered later does not displace it', () => {
    const state = fold([registered(), transfer('e-2019', 'ningshan-czj', '2019-01-10'), transfer('e-2018', 'ningshan-tjj', '2018-01-10')]);
    expect(currentPlacement(state).eventId).toBe('e-2019');
  });

  it('is the later in the stream between two on the same day', () => {
    const state = fold([registered(), transfer('e-first', 'ningshan-czj', '2019-01-10'), transfer('e-second', 'ningshan-tjj', '2019-01-10')]);
    expect(currentPlacement(state).unitId).toBe('ningshan-tjj');
  });

  it('keeps the unit on a promotion and leaves no post after a removal', () => {
    const promoted = fold([registered(), event('CadrePromoted', { newPosition: deputyCountyHead }, { eventId: 'e-promoted', effectiveAt: '2019-01-10' })]);
    expect(currentPlacement(promoted)).toMatchObject({ unitId: UNIT_ID, position: deputyCountyHead });
    const removed = fold([registered(), event('CadreAdjusted', { kind: 'removal' }, { eventId: 'e-removed', effectiveAt: '2019-01-10' })]);
    expect(currentPlacement(removed)).toMatchObject({ unitId: UNIT_ID, position: null });
  });
});

describe('evolve: EntryRetracted', () => {
  it('marks the entry retracted and keeps it in the history', () => {
    const state = fold([
      registered(),
      event('CautionIssued', { reason: '工作不力' }, { eventId: 'e-caution', effectiveAt: '2020-05-08' }),
      retraction('e-retraction', 'e-caution'),
    ]);
    expect(state.entries.get('e-caution')).toEqual({ type: 'CautionIssued', effectiveAt: '2020-05-08', retracted: true, measure: { system: 'caution' } });
    expect(state.entries.get('e-retraction')).toMatchObject({ type: 'EntryRetracted', retracted: false });
  });

  it('frees the year of a retracted annual review, and only that year', () => {
    const review = (year: number, eventId: string) =>
      event('AnnualReviewRecorded', { year, grade: 'competent' }, { eventId, effectiveAt: `${year + 1}-01-20` });
    const state = fold([registered(), review(2019, 'e-2019'), review(2020, 'e-2020'), retraction('e-retraction', 'e-2020')]);
    expect([...state.reviewYears]).toEqual([[2019, 'e-2019']]);
  });

  describe('a tolerance case', () => {
    const CASE = 'rc-2020-003';
    const steps: DecidedEvent<CadreEvent>[] = [
      event('SanctionImposed', { system: 'administrative', kind: 'demerit' }, { eventId: 'e-sanction', effectiveAt: '2020-03-02' }),
      event('ToleranceRequested', { caseId: CASE, situation: 'SN-3', covers: ['e-sanction'], initiatedBy: 'applicant' }, { eventId: 'e-requested', effectiveAt: '2020-04-01' }),
      event(
        'ToleranceInvestigated',
        { caseId: CASE, personalGain: true, knowingViolation: false, expresslyProhibited: false, summary: '收受管理服务对象礼金' },
        { eventId: 'e-investigated', effectiveAt: '2020-05-01' },
      ),
      event('ToleranceDecided', { caseId: CASE, outcome: 'rejected', reason: '不予容错' }, { eventId: 'e-decided', effectiveAt: '2020-06-01' }),
    ];

    it('rolls back one step when the latest step is retracted', () => {
      const before = fold([registered(), ...steps]);
      expect(currentStep(before.toleranceCases.get(CASE))).toBe('decided');
      const after = fold([registered(), ...steps, retraction('e-retraction', 'e-decided')]);
      expect(currentStep(after.toleranceCases.get(CASE))).toBe('investigated');
      expect(after.toleranceCases.get(CASE)?.steps.map((s) => s.eventId)).toEqual(['e-requested', 'e-investigated']);
      expect(after.toleranceCases.get(CASE)?.exclusions).toEqual({ personalGain: true, knowingViolation: false, expresslyProhibited: false });
    });

    it('forgets the exclusions when the findings are retracted', () => {
      const state = fold([registered(), ...steps.slice(0, 3), retraction('e-retraction', 'e-investigated')]);
      expect(currentStep(state.toleranceCases.get(CASE))).toBe('requested');
      expect(state.toleranceCases.get(CASE)?.exclusions).toBeNull();
    });

    it('voids the case when its request is retracted, keeping its id taken', () => {
      const state = fold([registered(), ...steps.slice(0, 2), retraction('e-retraction', 'e-requested')]);
      expect(state.toleranceCases.get(CASE)).toMatchObject({ caseId: CASE, steps: [], voided: true });
      expect(currentStep(state.toleranceCases.get(CASE))).toBeNull();
    });
  });

  describe('an investigation', () => {
    const opened = event('InvestigationOpened', { caseId: 'jw-2020-017' }, { eventId: 'e-opened', effectiveAt: '2020-05-08' });
    const closed = event('InvestigationClosed', { caseId: 'jw-2020-017' }, { eventId: 'e-closed', effectiveAt: '2020-09-08' });

    it('voids it when its opening is retracted', () => {
      const state = fold([registered(), opened, retraction('e-retraction', 'e-opened')]);
      expect(state.investigations.get('jw-2020-017')).toEqual({ caseId: 'jw-2020-017', openedBy: 'e-opened', openedOn: '2020-05-08', closedBy: null, voided: true });
    });

    it('reopens it when its closure is retracted', () => {
      const before = fold([registered(), opened, closed]);
      expect(before.investigations.get('jw-2020-017')?.closedBy).toBe('e-closed');
      const after = fold([registered(), opened, closed, retraction('e-retraction', 'e-closed')]);
      expect(after.investigations.get('jw-2020-017')).toMatchObject({ closedBy: null, voided: false });
    });
  });

  it.each([
    ['CadreTransferred', event('CadreTransferred', { unitId: 'ningshan-czj', position: bureauChief }, { eventId: 'e-placed', effectiveAt: '2019-01-10' })],
    ['CadrePromoted', event('CadrePromoted', { newPosition: deputyCountyHead }, { eventId: 'e-placed', effectiveAt: '2019-01-10' })],
    ['CadreAdjusted', event('CadreAdjusted', { kind: 'non-leadership', newPosition: researcher }, { eventId: 'e-placed', effectiveAt: '2019-01-10' })],
  ])('removes the placement of a retracted %s', (_type, placed) => {
    const before = fold([registered(), placed]);
    expect(currentPlacement(before).eventId).toBe('e-placed');
    const after = fold([registered(), placed, retraction('e-retraction', 'e-placed')]);
    expect([...after.placements.values()].map((p) => p.eventId)).toEqual(['e-registered']);
    expect(currentPlacement(after)).toMatchObject({ unitId: UNIT_ID, position: bureauChief });
  });

  it('puts a later promotion back in the unit the cadre was in when the wrong transfer before it is retracted', () => {
    const state = fold([
      registered(),
      event('CadreTransferred', { unitId: 'ningshan-czj', position: bureauChief }, { eventId: 'e-wrong-transfer', effectiveAt: '2019-01-10' }),
      event('CadrePromoted', { newPosition: deputyCountyHead }, { eventId: 'e-promoted', effectiveAt: '2020-01-10' }),
      event('CadreAdjusted', { kind: 'non-leadership', newPosition: researcher }, { eventId: 'e-adjusted', effectiveAt: '2020-09-01' }),
      retraction('e-retraction', 'e-wrong-transfer'),
    ]);
    expect([...state.placements.values()].map((p) => p.eventId)).toEqual(['e-registered', 'e-promoted', 'e-adjusted']);
    expect(currentPlacement(state)).toMatchObject({ eventId: 'e-adjusted', unitId: UNIT_ID, position: researcher });
  });

  it('moves a later promotion with a transfer entered afterwards but dated before it', () => {
    const state = fold([
      registered(),
      event('CadrePromoted', { newPosition: deputyCountyHead }, { eventId: 'e-promoted', effectiveAt: '2020-01-10' }),
      event('CadreTransferred', { unitId: 'ningshan-czj', position: bureauChief }, { eventId: 'e-backdated', effectiveAt: '2019-01-10' }),
    ]);
    expect(currentPlacement(state)).toMatchObject({ eventId: 'e-promoted', unitId: 'ningshan-czj', position: deputyCountyHead });
  });

  it('keeps the unit of a promotion that followed a transfer which stands', () => {
    const state = fold([
      registered(),
      event('CadreTransferred', { unitId: 'ningshan-czj', position: bureauChief }, { eventId: 'e-transfer', effectiveAt: '2019-01-10' }),
      event('CautionIssued', { reason: '工作不力' }, { eventId: 'e-caution', effectiveAt: '2019-05-08' }),
      event('CadrePromoted', { newPosition: deputyCountyHead }, { eventId: 'e-promoted', effectiveAt: '2020-01-10' }),
      retraction('e-retraction', 'e-caution'),
    ]);
    expect(currentPlacement(state)).toMatchObject({ eventId: 'e-promoted', unitId: 'ningshan-czj' });
  });

  it('changes nothing but the count when the target is unknown', () => {
    const history = [registered(), event('CautionIssued', { reason: '工作不力' }, { eventId: 'e-caution', effectiveAt: '2020-05-08' })];
    const before = fold(history);
    const after = fold([...history, retraction('e-retraction', 'e-elsewhere')]);
    expect(after.length).toBe(before.length + 1);
    expect(after.entries.get('e-caution')).toEqual(before.entries.get('e-caution'));
    expect(after.entries.has('e-elsewhere')).toBe(false);
  });
});
