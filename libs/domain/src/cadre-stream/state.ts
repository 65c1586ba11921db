import type { CadreEvent } from '../events';
import type { Decided, Recorded } from '../shared/messages';
import type { LocalDate } from '../shared/local-date';
import type { Position } from '../shared/vocabulary';
import { assertNever } from '../shared/assert-never';

/**
 * A posting: where the cadre sits from `effectiveAt` on (registration, transfer, promotion,
 * adjustment). Promotions and adjustments stay in the unit the cadre is in on their own date
 * (`unitId: null` here), which `currentPlacement` works out in effective-date order, so that a
 * backdated or retracted transfer moves every later posting with it.
 */
export interface Placement {
  eventId: string;
  effectiveAt: LocalDate;
  unitId: string | null;
  position: Position | null;
  /** Stream order, to break ties between placements effective on the same day. */
  order: number;
}

export interface Entry {
  type: CadreEvent['type'];
  effectiveAt: LocalDate;
  retracted: boolean;
}

/** 提出申请 → 调查核实 → 认定结论 → 结果反馈 → 资料报备 (陕西 容错纠错办法 第八条). */
export const TOLERANCE_STEPS = ['requested', 'investigated', 'decided', 'notified', 'filed'] as const;
export type ToleranceStep = (typeof TOLERANCE_STEPS)[number];

export interface ToleranceCase {
  caseId: string;
  /** Steps taken so far, in order; the last one is the case's current step. */
  steps: { step: ToleranceStep; eventId: string; effectiveAt: LocalDate }[];
  exclusions: { personalGain: boolean; knowingViolation: boolean; expresslyProhibited: boolean } | null;
  /** The request was retracted: the case no longer exists, but its id stays taken. */
  voided: boolean;
}

export interface Investigation {
  caseId: string;
  openedBy: string;
  openedOn: LocalDate;
  closedBy: string | null;
  voided: boolean;
}

export interface RegisteredCadre {
  registered: true;
  cadreId: string;
  name: string;
  jurisdiction: string;
  placements: readonly Placement[];
  entries: ReadonlyMap<string, Entry>;
  /** Annual review year → eventId of the review standing for it. */
  reviewYears: ReadonlyMap<number, string>;
  investigations: ReadonlyMap<string, Investigation>;
  toleranceCases: ReadonlyMap<string, ToleranceCase>;
  /** lockIds for which `InfluencePeriodEnded` is already recorded. */
  periodsEnded: ReadonlySet<string>;
  /** Number of events folded; the stream revision is this minus one. */
  length: number;
}

export type CadreState = { registered: false; length: number } | RegisteredCadre;

export const initialCadreState = (): CadreState => ({ registered: false, length: 0 });

type AnyCadreEvent = Decided<CadreEvent> | Recorded<CadreEvent>;

/** The placement in force: the latest by effective date, then by stream order, with its unit. */
export function currentPlacement(state: RegisteredCadre): Placement & { unitId: string } {
  const ordered = [...state.placements].sort((a, b) => (a.effectiveAt === b.effectiveAt ? a.order - b.order : a.effectiveAt < b.effectiveAt ? -1 : 1));
  let unitId = ordered[0].unitId ?? '';
  for (const p of ordered) unitId = p.unitId ?? unitId;
  return { ...ordered[ordered.length - 1], unitId };
}

export function evolve(state: CadreState, event: AnyCadreEvent): CadreState {
  const { eventId, effectiveAt } = event.metadata;
  if (event.type === 'CadreRegistered') {
    const { cadreId, name, jurisdiction, unitId, position } = event.data;
    return {
      registered: true,
      cadreId,
      name,
      jurisdiction,
      placements: [{ eventId, effectiveAt, unitId, position, order: state.length }],
      entries: new Map([[eventId, { type: event.type, effectiveAt, retracted: false }]]),
      reviewYears: new Map(),
      investigations: new Map(),
      toleranceCases: new Map(),
      periodsEnded: new Set(),
      length: state.length + 1,
    };
  }
  if (!state.registered) return { ...state, length: state.length + 1 };

  const next: RegisteredCadre = {
    ...state,
    entries: withEntry(state.entries, eventId, { type: event.type, effectiveAt, retracted: false }),
    length: state.length + 1,
  };
  const place = (unitId: string | null, position: Position | null): Placement[] => [
    ...state.placements,
    { eventId, effectiveAt, unitId, position, order: state.length },
  ];
  switch (event.type) {
    case 'CadreTransferred':
      return { ...next, placements: place(event.data.unitId, event.data.position) };
    case 'CadrePromoted':
      return { ...next, placements: place(null, event.data.newPosition) };
    case 'CadreAdjusted':
      // 免职 leaves the cadre without a post in the unit; the other adjustments name the new post.
      return { ...next, placements: place(null, event.data.newPosition ?? null) };
    case 'AnnualReviewRecorded':
      return { ...next, reviewYears: new Map(state.reviewYears).set(event.data.year, eventId) };
    case 'InvestigationOpened':
      return {
        ...next,
        investigations: new Map(state.investigations).set(event.data.caseId, {
          caseId: event.data.caseId,
          openedBy: eventId,
          openedOn: effectiveAt,
          closedBy: null,
          voided: false,
        }),
      };
    case 'InvestigationClosed':
      return withInvestigation(next, event.data.caseId, (i) => ({ ...i, closedBy: eventId }));
    case 'ToleranceRequested':
      return {
        ...next,
        toleranceCases: new Map(state.toleranceCases).set(event.data.caseId, {
          caseId: event.data.caseId,
          steps: [{ step: 'requested', eventId, effectiveAt }],
          exclusions: null,
          voided: false,
        }),
      };
    case 'ToleranceInvestigated': {
      const { personalGain, knowingViolation, expresslyProhibited } = event.data;
      return withToleranceCase(next, event.data.caseId, (c) => ({
        ...c,
        steps: [...c.steps, { step: 'investigated', eventId, effectiveAt }],
        exclusions: { personalGain, knowingViolation, expresslyProhibited },
      }));
    }
    case 'ToleranceDecided':
      return withToleranceStep(next, event.data.caseId, 'decided', eventId, effectiveAt);
    case 'ToleranceNotified':
      return withToleranceStep(next, event.data.caseId, 'notified', eventId, effectiveAt);
    case 'ToleranceFiled':
      return withToleranceStep(next, event.data.caseId, 'filed', eventId, effectiveAt);
    case 'InfluencePeriodEnded':
      return { ...next, periodsEnded: new Set(state.periodsEnded).add(event.data.lockId) };
    case 'EntryRetracted':
      return retract(next, event.data.eventId);
    case 'CommendationIssued':
    case 'CautionIssued':
    case 'TalkHeld':
    case 'SanctionImposed':
    case 'AllegationCleared':
      return next;
    default:
      return assertNever(event);
  }
}

/** Undo what the retracted entry did to the decision state; history itself keeps it. */
function retract(state: RegisteredCadre, targetId: string): RegisteredCadre {
  const target = state.entries.get(targetId);
  if (!target) return state;
  const next = { ...state, entries: withEntry(state.entries, targetId, { ...target, retracted: true }) };
  switch (target.type) {
    case 'AnnualReviewRecorded': {
      const reviewYears = new Map([...state.reviewYears].filter(([, id]) => id !== targetId));
      return { ...next, reviewYears };
    }
    case 'InvestigationOpened':
    case 'InvestigationClosed': {
      const investigation = [...state.investigations.values()].find(
        (i) => i.openedBy === targetId || i.closedBy === targetId,
      );
      if (!investigation) return next;
      return withInvestigation(next, investigation.caseId, (i) =>
        i.openedBy === targetId ? { ...i, voided: true } : { ...i, closedBy: null },
      );
    }
    case 'ToleranceRequested':
    case 'ToleranceInvestigated':
    case 'ToleranceDecided':
    case 'ToleranceNotified':
    case 'ToleranceFiled': {
      const toleranceCase = [...state.toleranceCases.values()].find((c) => c.steps.some((s) => s.eventId === targetId));
      if (!toleranceCase) return next;
      return withToleranceCase(next, toleranceCase.caseId, (c) => {
        const steps = c.steps.filter((s) => s.eventId !== targetId);
        return {
          ...c,
          steps,
          voided: steps.length === 0,
          exclusions: target.type === 'ToleranceInvestigated' ? null : c.exclusions,
        };
      });
    }
    case 'CadreTransferred':
    case 'CadrePromoted':
    case 'CadreAdjusted':
      return { ...next, placements: state.placements.filter((p) => p.eventId !== targetId) };
    default:
      return next;
  }
}

function withEntry(entries: ReadonlyMap<string, Entry>, id: string, entry: Entry): Map<string, Entry> {
  return new Map(entries).set(id, entry);
}

function withInvestigation(
  state: RegisteredCadre,
  caseId: string,
  change: (i: Investigation) => Investigation,
): RegisteredCadre {
  const current = state.investigations.get(caseId);
  if (!current) return state;
  return { ...state, investigations: new Map(state.investigations).set(caseId, change(current)) };
}

function withToleranceCase(
  state: RegisteredCadre,
  caseId: string,
  change: (c: ToleranceCase) => ToleranceCase,
): RegisteredCadre {
  const current = state.toleranceCases.get(caseId);
  if (!current) return state;
  return { ...state, toleranceCases: new Map(state.toleranceCases).set(caseId, change(current)) };
}

function withToleranceStep(
  state: RegisteredCadre,
  caseId: string,
  step: ToleranceStep,
  eventId: string,
  effectiveAt: LocalDate,
): RegisteredCadre {
  return withToleranceCase(state, caseId, (c) => ({ ...c, steps: [...c.steps, { step, eventId, effectiveAt }] }));
}

/** The case's current step, or null when it does not exist (or its request was retracted). */
export function currentStep(c: ToleranceCase | undefined): ToleranceStep | null {
  if (!c || c.voided || c.steps.length === 0) return null;
  return c.steps[c.steps.length - 1].step;
}
