import { DomainError } from './errors';
import { compareText, type LocalDate } from './local-date';

/**
 * A procedure a case goes through step by step (容错 第八条, 能上能下 第十五条), described once by
 * its capability: the steps in order, the event that takes each, and what the page shows of a case
 * at each. The decider (order, previous step, dating), the folded state (taking and retracting a
 * step), the read model's rows and the dashboard's labels all read this description: a step added
 * to it shows up in every one of them.
 */
export interface Procedure<Step extends string = string, EventType extends string = string> {
  /** `tolerance` | `adjustment`: the case kind, in problem codes (`tolerance-step-out-of-order`) and in `/v1/cases`. */
  kind: string;
  /** The source of the steps, e.g. 陕西 容错纠错办法 第八条. */
  source: string;
  /** Its Chinese name, and its case's, in refusals (容错程序, 容错案件). */
  zh: string;
  caseZh: string;
  steps: readonly ProcedureStep<Step, EventType>[];
}

export interface ProcedureStep<Step extends string = string, EventType extends string = string> {
  step: Step;
  /** The event that takes the step. */
  event: EventType;
  /** The step in Chinese (提出申请). */
  zh: string;
  /** What a case at this step waits for (已申请,待核实); null for the last step: the case is closed. */
  waitingZh: string | null;
}

/** A step a case has taken: the last one is the step the case is at. */
export interface StepTaken<Step extends string = string> {
  step: Step;
  eventId: string;
  effectiveAt: LocalDate;
}

/** The step names, in order. */
export const stepsOf = <Step extends string>(procedure: Procedure<Step>): Step[] => procedure.steps.map((s) => s.step);

/** The step an event takes, or undefined when it takes none of this procedure's. */
export const stepOfEvent = <Step extends string>(procedure: Procedure<Step>, eventType: string): Step | undefined => procedure.steps.find((s) => s.event === eventType)?.step;

/** The step before this one (undefined for the first). */
export function previousStep<Step extends string>(procedure: Procedure<Step>, step: Step): Step | undefined {
  const at = procedure.steps.findIndex((s) => s.step === step);
  return at > 0 ? procedure.steps[at - 1].step : undefined;
}

/** The steps after which a case still waits for the next (every one but the last). */
export const openSteps = <Step extends string>(procedure: Procedure<Step>): Step[] => procedure.steps.filter((s) => s.waitingZh !== null).map((s) => s.step);

/** The step that closes a case. */
export const finalStep = <Step extends string>(procedure: Procedure<Step>): Step => procedure.steps[procedure.steps.length - 1].step;

/** The step a case is at: its last step taken (null: none, e.g. its opening was retracted). */
export const currentStepOf = <Step extends string>(steps: readonly StepTaken<Step>[] | undefined): Step | null => (steps && steps.length > 0 ? steps[steps.length - 1].step : null);

/** The case's steps with one more taken. */
export const takeStep = <Step extends string>(steps: readonly StepTaken<Step>[], step: Step, eventId: string, effectiveAt: LocalDate): StepTaken<Step>[] => [...steps, { step, eventId, effectiveAt }];

/** The case's steps without a retracted one (only the latest may be: `requireLatestStep`). */
export const withoutStep = <Step extends string>(steps: readonly StepTaken<Step>[], eventId: string): StepTaken<Step>[] => steps.filter((s) => s.eventId !== eventId);

/**
 * The one refusal of a step out of turn, for every procedure: the case must exist (404), be at the
 * step before this one, and this one be dated on or after it (409 naming the current step, both).
 */
export function requireNextStep<Step extends string>(procedure: Procedure<Step>, caseId: string, steps: readonly StepTaken<Step>[] | undefined, step: Step, effectiveAt: LocalDate): void {
  const current = currentStepOf(steps);
  if (!steps || current === null) throw new DomainError(`${procedure.kind}-case-not-found`, 'not-found', `no ${procedure.kind} case ${caseId} for this cadre`);
  const previous = previousStep(procedure, step);
  if (current !== previous) {
    throw new DomainError(`${procedure.kind}-step-out-of-order`, 'conflict', `${procedure.kind} case ${caseId} is at step ${current}; ${step} must follow ${previous}`, { currentStep: current });
  }
  const previousDate = steps[steps.length - 1].effectiveAt;
  if (effectiveAt < previousDate) {
    throw new DomainError(`${procedure.kind}-step-before-previous`, 'conflict', `step ${step} of ${procedure.kind} case ${caseId} cannot take effect before ${current} (${previousDate})`, { currentStep: current });
  }
}

/** Only a case's latest step may be retracted (409 naming the current step): later steps first. */
export function requireLatestStep<Step extends string>(procedure: Procedure<Step>, caseId: string, steps: readonly StepTaken<Step>[], eventId: string): void {
  if (steps.length === 0 || steps[steps.length - 1].eventId === eventId) return;
  const current = currentStepOf(steps);
  throw new DomainError(`${procedure.kind}-step-not-latest`, 'conflict', `${procedure.kind} case ${caseId} is at step ${current}: retract its later steps first`, { currentStep: current });
}

/** The Chinese sentences of a procedure's refusals (the message catalogue's). */
export function procedureMessagesZh(procedure: Procedure): Record<string, string | ((d: Record<string, unknown>) => string)> {
  const order = procedure.steps.map((s) => s.zh).join('→');
  return {
    [`${procedure.kind}-step-out-of-order`]: (d) => `${procedure.zh}须依次进行(${order})${d.currentStep ? `,当前步骤:${String(d.currentStep)}` : ''}`,
    [`${procedure.kind}-step-before-previous`]: '这一步的日期早于上一步',
    [`${procedure.kind}-step-not-latest`]: `只能撤回${procedure.caseZh}的最后一步`,
  };
}

/** What the page shows of an open case at each step (已申请,待核实), by step. */
export const waitingLabels = (procedure: Procedure): Record<string, string> =>
  Object.fromEntries(procedure.steps.flatMap((s) => (s.waitingZh === null ? [] : [[s.step, s.waitingZh]])));

/** One case of a procedure as its facts tell it on a date: its opening fact, its facts, the step it is at. */
export interface CaseAsOf<Step extends string = string> {
  caseId: string;
  step: Step;
  openedOn: LocalDate;
  lastStepOn: LocalDate;
  /** The facts of its steps, in the order given (the first opened the case). */
  facts: { type: string; data: unknown; metadata: { effectiveAt: LocalDate } }[];
}

/**
 * The cases of a procedure among live facts (effective order, retracted ones left out), as of
 * `asOf`: a case opens with the first step's event, and each later fact of a step moves it on.
 * The read model's rows are these (libs/projections).
 */
export function casesAsOf<Step extends string, F extends { type: string; data: unknown; metadata: { effectiveAt: LocalDate } }>(procedure: Procedure<Step>, live: readonly F[], asOf: LocalDate): (CaseAsOf<Step> & { facts: F[] })[] {
  const opening = procedure.steps[0].event;
  const cases = new Map<string, CaseAsOf<Step> & { facts: F[] }>();
  for (const fact of live) {
    const step = stepOfEvent(procedure, fact.type);
    const { caseId } = fact.data as { caseId?: string };
    const at = fact.metadata.effectiveAt;
    if (step === undefined || caseId === undefined || at > asOf) continue;
    if (fact.type === opening) {
      cases.set(caseId, { caseId, step, openedOn: at, lastStepOn: at, facts: [fact] });
      continue;
    }
    const open = cases.get(caseId);
    if (!open) continue;
    open.step = step;
    open.lastStepOn = at;
    open.facts.push(fact);
  }
  return [...cases.values()].sort((a, b) => compareText(a.caseId, b.caseId));
}
