import fc from 'fast-check';
import {
  ADJUSTMENT_KINDS,
  ADMINISTRATIVE_SANCTIONS,
  COMMENDATION_KINDS,
  COMMENDATION_LEVELS,
  PARTY_SANCTIONS,
  REVIEW_GRADES,
  TALK_KINDS,
  UNIT_GRADES,
  type Fact,
} from '@cadre-ledger/domain';

/**
 * Generated cadre histories for property tests: a registration, then facts of every kind the
 * rules read (sanctions, cautions, talks, reviews, unit assessments, commendations, adjustments,
 * investigations, tolerance decisions, clearances, retractions), with effective dates from 2003 to
 * 2026 and recording instants at or after them (so backdated facts are common).
 */
const JURISDICTIONS = ['CN', 'CN-SN', 'CN-SN-AK', 'CN-HN-ZJJ', 'CN-JS-HM', 'CN-XX'] as const;
const UNITS = ['unit-a', 'unit-b'] as const;

const dayMs = 86_400_000;
const start = Date.UTC(2003, 0, 1);
const end = Date.UTC(2026, 10, 22);
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const position = fc.record({
  title: fc.constantFrom('局长', '副局长', '科长', '调研员'),
  level: fc.constantFrom('township-chief', 'county-deputy', 'county-chief'),
  leadership: fc.boolean(),
  principal: fc.boolean(),
});

/** The type and data of one fact; ids and dates are assigned when the history is assembled. */
const factBody = fc.oneof(
  fc.record({ type: fc.constant('SanctionImposed'), data: fc.oneof(
    fc.record({ system: fc.constant('administrative'), kind: fc.constantFrom(...ADMINISTRATIVE_SANCTIONS) }),
    fc.constantFrom(...PARTY_SANCTIONS.filter((k) => k !== 'probation')).map((kind) => ({ system: 'party', kind })),
    fc.constantFrom(12, 24).map((probationMonths) => ({ system: 'party', kind: 'probation', probationMonths })),
  ) }),
  fc.record({ type: fc.constant('CautionIssued'), data: fc.constant({ reason: '诫勉' }) }),
  fc.record({ type: fc.constant('TalkHeld'), data: fc.record({ kind: fc.constantFrom(...TALK_KINDS), reason: fc.constant('谈话') }) }),
  fc.record({ type: fc.constant('AnnualReviewRecorded'), data: fc.record({
    year: fc.integer({ min: 2002, max: 2025 }),
    grade: fc.constantFrom(...REVIEW_GRADES),
    unfavourableVoteShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  }) }),
  fc.record({ type: fc.constant('UnitAssessmentRecorded'), data: fc.record({
    unitId: fc.constantFrom(...UNITS),
    year: fc.integer({ min: 2002, max: 2025 }),
    grade: fc.constantFrom(...UNIT_GRADES),
  }) }),
  fc.record({ type: fc.constant('CommendationIssued'), data: fc.record({
    level: fc.constantFrom(...COMMENDATION_LEVELS),
    kind: fc.constantFrom(...COMMENDATION_KINDS),
    title: fc.constant('表彰'),
  }) }),
  fc.record({ type: fc.constant('CadreAdjusted'), data: fc.record({ kind: fc.constantFrom(...ADJUSTMENT_KINDS), newPosition: position }) }),
  fc.record({ type: fc.constant('CadreTransferred'), data: fc.record({ unitId: fc.constantFrom(...UNITS), position }) }),
  fc.record({ type: fc.constant('CadrePromoted'), data: fc.record({ newPosition: position, consultationRef: fc.option(fc.constant('组函〔2021〕1号'), { nil: undefined }) }) }),
  fc.record({ type: fc.constant('InvestigationOpened'), data: fc.constant({}) }),
  fc.record({ type: fc.constant('InvestigationClosed'), data: fc.constant({}) }),
  fc.record({ type: fc.constant('ToleranceDecided'), data: fc.record({ outcome: fc.constantFrom('exempted', 'mitigated', 'rejected') }) }),
  fc.record({ type: fc.constant('AllegationCleared'), data: fc.constant({}) }),
  fc.record({ type: fc.constant('EntryRetracted'), data: fc.constant({}) }),
);

const slot = fc.record({
  body: factBody,
  effectiveMs: fc.integer({ min: start, max: end }),
  /** How long after its effective date the fact was recorded: same day to five years. */
  delayMs: fc.integer({ min: 0, max: 5 * 365 * dayMs }),
  /** Index of an earlier fact this one refers to (covers, retractions, closures). */
  target: fc.nat(),
});

export interface GeneratedHistory {
  history: Fact[];
  jurisdiction: string;
}

/** A whole history, in stream order, with every reference pointing at an earlier fact of its stream. */
export const cadreHistory = fc
  .record({
    jurisdiction: fc.constantFrom(...JURISDICTIONS),
    unitId: fc.constantFrom(...UNITS),
    principal: fc.boolean(),
    slots: fc.array(slot, { maxLength: 40 }),
  })
  .map(({ jurisdiction, unitId, principal, slots }): GeneratedHistory => {
    const facts: Fact[] = [];
    const at = (ms: number, delay: number) => new Date(Math.min(ms + delay, end + 30 * dayMs) + 123).toISOString().replace('Z', '456Z');
    facts.push(make('e0', 'CadreRegistered', isoDay(start), at(start, 0), {
      cadreId: 'cadre-p', name: '王芳', unitId, jurisdiction,
      position: { title: '局长', level: 'county-chief', leadership: true, principal },
    }));
    slots.forEach((s, i) => {
      const id = `e${i + 1}`;
      const effectiveAt = isoDay(s.effectiveMs);
      const recordedAt = at(s.effectiveMs, s.delayMs);
      const earlier = facts[s.target % facts.length];
      const data: Record<string, unknown> = { ...s.body.data };
      switch (s.body.type) {
        case 'InvestigationOpened':
          data.caseId = `case-${id}`;
          break;
        case 'InvestigationClosed':
          data.caseId = earlier.type === 'InvestigationOpened' ? earlier.data.caseId : 'case-none';
          break;
        case 'ToleranceDecided':
          // A decision with its request: the request covers an earlier fact.
          facts.push(make(`${id}r`, 'ToleranceRequested', effectiveAt, recordedAt, {
            caseId: `tc-${id}`, situation: 'SN-1', covers: [earlier.metadata.eventId], initiatedBy: 'applicant',
          }));
          data.caseId = `tc-${id}`;
          data.reason = '认定';
          if (data.outcome === 'mitigated') data.mitigatedTo = { system: 'party', kind: 'warning' };
          break;
        case 'AllegationCleared':
          data.covers = [earlier.metadata.eventId];
          data.finding = 'unfounded';
          break;
        case 'EntryRetracted':
          if (earlier.type === 'CadreRegistered') return;
          data.eventId = earlier.metadata.eventId;
          data.reason = '录入错误';
          break;
        default:
          break;
      }
      facts.push(make(id, s.body.type, effectiveAt, recordedAt, dropUndefined(data)));
    });
    return { history: facts.map((f, revision) => ({ ...f, metadata: { ...f.metadata, revision } }) as Fact), jurisdiction };
  });

function make(eventId: string, type: string, effectiveAt: string, recordedAt: string, data: Record<string, unknown>): Fact {
  return { type, data, metadata: { eventId, effectiveAt, recordedAt, actor: 'property' } } as Fact;
}

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/** A date between 2003 and 2027 and an instant between 2003 and 2027, for asOf and knownAt. */
export const asOfDate = fc.integer({ min: start, max: end + 365 * dayMs }).map(isoDay);
export const knownAtInstant = fc.integer({ min: start, max: end + 365 * dayMs }).map((ms) => new Date(ms).toISOString());
