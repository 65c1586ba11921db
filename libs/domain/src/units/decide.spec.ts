import { command, event, type CommandData } from '../testing/builders';
import { deciderSpec } from '../testing/decider-spec';
import { fold } from '../shared/decider';
import type { DomainError } from '../shared/errors';
import { unitDecider } from './decide';

/** The unit decider's given/when/then, with no context (a unit's own stream is all an assessment reads). */
const { given } = deciderSpec(unitDecider, {});

const UNIT = 'ningshan-fgj'; // 宁陕县发展和改革局
type AssessmentData = CommandData<'RecordUnitAssessment'>;
const assess = (data: Partial<AssessmentData> = {}) =>
  command(
    'RecordUnitAssessment',
    { unitId: UNIT, year: 2020, grade: 'good', effectiveAt: '2021-02-10', ...data },
    { eventId: 'e-assessment', actor: 'khb-chen-jun', documentRef: '宁考发〔2021〕2号' }, // 考核办 陈军
  );
const assessed = (year: number, grade: AssessmentData['grade'], eventId: string, effectiveAt: string) =>
  event('UnitAssessmentRecorded', { unitId: UNIT, year, grade }, { eventId, effectiveAt, actor: 'khb-chen-jun', documentRef: '宁考发〔2021〕2号' });

describe('RecordUnitAssessment', () => {
  it('records UnitAssessmentRecorded on a unit with no history (units need no registration)', () => {
    given([]).when(assess()).then([assessed(2020, 'good', 'e-assessment', '2021-02-10')]);
  });

  it('records another year beside an existing assessment', () => {
    given([assessed(2019, 'excellent', 'e-2019', '2020-02-12')])
      .when(assess())
      .then([assessed(2020, 'good', 'e-assessment', '2021-02-10')]);
  });

  it('refuses a second assessment of the same year', () => {
    const error = given([assessed(2020, 'excellent', 'e-2020', '2021-02-01')])
      .when(assess({ grade: 'poor' }))
      .thenThrows('unit-assessment-year-duplicate', 'conflict');
    expect(error.message).toContain('e-2020');
  });

  it.each(['宁陕县发改局', '-fgj', 'ningshan fgj'])('refuses the unitId %j', (unitId) => {
    given([]).when(assess({ unitId })).thenThrows('invalid-identifier', 'invalid');
  });

  it('refuses an effective date later than today', () => {
    given([]).when(assess({ year: 2021, effectiveAt: '2021-07-01' })).thenThrows('effective-date-in-future', 'unprocessable');
  });

  it('refuses an effective date that is not a date', () => {
    given([]).when(assess({ effectiveAt: '2021-02-30' })).thenThrows('invalid-date', 'invalid');
  });

  it.each([1948, 2020.5])('refuses the year %p', (year) => {
    given([]).when(assess({ year })).thenThrows('invalid-assessment-year', 'invalid');
  });

  it('refuses an assessment whose year begins after its effective date', () => {
    given([]).when(assess({ year: 2021, effectiveAt: '2020-12-31' })).thenThrows('assessment-year-after-decision', 'unprocessable');
  });

  it('refuses a documentRef longer than 200 characters', () => {
    given([])
      .when({ ...assess(), metadata: { ...assess().metadata, documentRef: '宁'.repeat(201) } })
      .thenThrows('document-ref-too-long', 'invalid');
  });
});

describe('evolveUnit', () => {
  it('keeps, per year, the eventId of its assessment, and counts events', () => {
    const state = fold(unitDecider, [assessed(2019, 'excellent', 'e-2019', '2020-02-12'), assessed(2020, 'average', 'e-2020', '2021-02-10')]);
    expect([...state.assessmentYears]).toEqual([
      [2019, 'e-2019'],
      [2020, 'e-2020'],
    ]);
    expect(state.length).toBe(2);
  });
});

describe('RegisterUnit and RecordUnitFinding', () => {
  const registration = { unitId: UNIT, name: '宁陕县发展和改革局', level: 'department', parentUnitId: 'ningshan', jurisdiction: 'CN-SN' } as const;
  const register = (data: Partial<CommandData<'RegisterUnit'>> = {}) => command('RegisterUnit', { ...registration, effectiveAt: '2015-01-01', ...data }, { eventId: 'e-unit' });
  const registered = event('UnitRegistered', registration, { eventId: 'e-unit', effectiveAt: '2015-01-01', documentRef: '陕办发〔2018〕24号' });
  const county = { unitId: 'ningshan', name: '宁陕县', level: 'county', jurisdiction: 'CN-SN' } as const;
  const finding = { unitId: UNIT, category: 'safety', kind: 'production-accident', level: 'major' } as const;
  const find = (data: Partial<CommandData<'RecordUnitFinding'>>) => command('RecordUnitFinding', { ...finding, effectiveAt: '2020-05-01', ...data }, { eventId: 'e-finding' });

  it('registers a department under a registered parent, once', () => {
    const spec = deciderSpec(unitDecider, { parent: county });
    spec.given([]).when(register()).then([registered]);
    spec.given([registered]).when(register()).thenThrows('unit-already-registered', 'conflict');
  });

  it.each([
    ['an unregistered parent', register(), { parent: null }, 'parent-unit-not-registered'],
    ['a department without a parent', register({ parentUnitId: undefined }), {}, 'department-parent-required'],
    ['a unit as its own parent', register({ level: 'county', parentUnitId: UNIT }), {}, 'unit-own-parent'],
    ['a county under a department', register({ level: 'county' }), { parent: { ...county, level: 'department' as const } }, 'invalid-unit-parent'],
    ['an unknown level', register({ level: 'village' as never }), { parent: county }, 'invalid-unit-level'],
    ['an unknown jurisdiction', register(), { parent: county, isKnownJurisdiction: () => false }, 'unknown-jurisdiction'],
  ])('refuses %s', (_what, cmd, context, code) => {
    deciderSpec(unitDecider, context).given([]).when(cmd).thenThrows(code);
  });

  it.each([
    [{ kind: 'bottom-two' }, 'invalid-finding-kind'],
    [{ category: 'leadership-review' as never, kind: 'disunity' }, 'invalid-finding-category'],
    [{ level: undefined }, 'finding-level-required'],
    [{ kind: 'criticised', level: 'major' as const }, 'finding-field-not-applicable'],
    [{ criticisedBy: 'central-organization-department' as const }, 'invalid-criticised-by'],
    [{ year: 2023 }, 'finding-field-not-applicable'],
    [{ category: 'stability' as const, kind: 'priority-rectification-unit', level: undefined, year: 2021 }, 'invalid-finding-year'],
    [{ cadreIds: ['c-1', 'c-1'] }, 'invalid-cadre-ids'],
  ])('refuses a finding %j (%s)', (data, code) => {
    given([]).when(find(data)).thenThrows(code);
  });

  it.each([{}, { cadreIds: ['c-1'] }])('records a finding %j', (data) => {
    given([])
      .when(find(data))
      .then([event('UnitFindingRecorded', { ...finding, ...data }, { eventId: 'e-finding', effectiveAt: '2020-05-01' })]);
  });

  it('names the allowed kinds when a kind is not of its category', () => {
    const error = given([]).when(find({ kind: 'bottom-two' })).thenThrows('invalid-finding-kind');
    expect(error.details.allowedKinds).toEqual(['production-accident', 'food-drug-accident', 'criticised']);
  });
});

describe('ClaimExcellenceQuota and ReleaseExcellenceQuota', () => {
  const county = { unitId: UNIT, name: '宁陕县发展和改革局', level: 'county', jurisdiction: 'CN' } as const;
  const quota = { ruleId: 'CN/KH-13', rate: 0.2, cap: 0.25, citation: { document: '公务员考核规定', article: '第十三条', text: '…' } };
  const context = { excellenceQuota: () => quota };
  const claim = (reviewEventId: string, eventId = `claim-${reviewEventId}`) =>
    command('ClaimExcellenceQuota', { unitId: UNIT, year: 2023, cadreId: `c-${reviewEventId}`, reviewEventId, effectiveAt: '2021-01-20' }, { eventId });
  const release = (reviewEventId: string, reason: 'review-retracted' | 'review-not-stored' = 'review-retracted') =>
    command('ReleaseExcellenceQuota', { unitId: UNIT, year: 2023, cadreId: `c-${reviewEventId}`, reviewEventId, reason, effectiveAt: '2021-06-30' }, { eventId: `release-${reviewEventId}` });
  /** Registered, 10 assessed in 2023 (limit 2), then every command's events applied in turn. */
  const run = (...commands: Parameters<typeof unitDecider.decide>[0][]) => {
    let state = fold(unitDecider, [
      event('UnitRegistered', county, { eventId: 'e-unit', effectiveAt: '2015-01-01' }),
      event('UnitQuotaSet', { unitId: UNIT, year: 2023, assessedHeadcount: 10 }, { eventId: 'e-quota', effectiveAt: '2021-01-05' }),
    ]);
    const outcomes: string[] = [];
    for (const cmd of commands) {
      try {
        const events = unitDecider.decide(cmd, state, context);
        state = events.reduce(unitDecider.evolve, state);
        outcomes.push(events.map((e) => e.type).join(',') || 'nothing');
      } catch (error) {
        outcomes.push((error as DomainError).code);
      }
    }
    return { outcomes, claimed: [...(state.claims.get(2023) ?? [])].sort() };
  };

  it('counts claims up to floor(headcount × rate) and refuses the next', () => {
    expect(run(claim('r1'), claim('r2'), claim('r3')).outcomes).toEqual(['ExcellenceQuotaClaimed', 'ExcellenceQuotaClaimed', 'excellence-quota-exceeded']);
  });

  it('claims a review once: the same review again appends nothing', () => {
    expect(run(claim('r1'), claim('r1', 'claim-again')).outcomes).toEqual(['ExcellenceQuotaClaimed', 'nothing']);
  });

  it('gives a released place to the next review, and a review released may claim again', () => {
    const { outcomes, claimed } = run(claim('r1'), claim('r2'), release('r1'), claim('r3'), claim('r1', 'claim-r1-again'));
    expect(outcomes).toEqual(['ExcellenceQuotaClaimed', 'ExcellenceQuotaClaimed', 'ExcellenceQuotaReleased', 'ExcellenceQuotaClaimed', 'excellence-quota-exceeded']);
    expect(claimed).toEqual(['r2', 'r3']);
  });

  it('releases only a place that is held: twice, or never claimed, appends nothing', () => {
    expect(run(claim('r1'), release('r1', 'review-not-stored'), release('r1'), release('r9')).outcomes).toEqual(['ExcellenceQuotaClaimed', 'ExcellenceQuotaReleased', 'nothing', 'nothing']);
  });

  it('refuses a release with an unknown reason', () => {
    expect(run(claim('r1'), release('r1', 'forgotten' as never)).outcomes).toEqual(['ExcellenceQuotaClaimed', 'invalid-release-reason']);
  });
});
