/**
 * @cadre-ledger/domain: events, commands and deciders of cadre-ledger. Pure: no framework, no I/O,
 * no clock (eslint.config.mjs enforces it).
 *
 * Public surface:
 * - event and command types (`CadreEvent`, `UnitEvent`, `Fact`, `CadreCommand`, …) and vocabularies;
 * - one `Decider` per stream kind: `cadreDecider` for `cadre-*` streams, `unitDecider` for `unit-*`;
 * - each procedure described once by its capability (`TOLERANCE_PROCEDURE`, `ADJUSTMENT_PROCEDURE`);
 * - `PolicyPort`, the question the deciders ask the rules;
 * - `DomainError` with a stable `code` and a `category` (invalid, not-found, conflict, unprocessable);
 * - date helpers (`isLocalDate`, `plusMonths`, `instantKey`, `chinaDateOf`).
 */
export * from './events';
export * from './commands';
export * from './policy-port';
export * from './shared/vocabulary';
export * from './shared/errors';
export * from './shared/local-date';
export type { Message, EventMetadata, RecordedMetadata, CommandMetadata, Decided, Recorded, Command, Noted } from './shared/messages';
export { decide, cadreDecider } from './cadre-stream/decide';
export { fold, type Decider } from './shared/decider';
export { evolve, initialCadreState, foldCadreStream, type CadreState, type RegisteredCadre } from './cadre-stream/state';
export { currentPlacement, placementOn, conflictKey, type Placement } from './cadres/state';
export type { Investigation } from './accountability/state';
export { currentStep, type ToleranceCase } from './tolerance/state';
export { adjustmentStep, type AdjustmentCase } from './adjustments/state';
export { TOLERANCE_PROCEDURE, TOLERANCE_STEPS, type ToleranceStep } from './tolerance/procedure';
export { ADJUSTMENT_PROCEDURE, ADJUSTMENT_CASE_STEPS, type AdjustmentCaseStep } from './adjustments/procedure';
export { stepsOf, stepOfEvent, openSteps, finalStep, waitingLabels, casesAsOf, type Procedure, type ProcedureStep, type StepTaken, type CaseAsOf } from './shared/procedure';
export { decideUnit, unitDecider, type UnitContext } from './units/decide';
export { requireFinding } from './findings/validate';
export { unitPostedTo, unitsSatIn } from './cadres/postings';
export { evolveUnit, initialUnitState } from './units/state';
export { QUOTA_RELEASE_REASONS } from './units/events';
export type { UnitState } from './units/state';
export { assertNever } from './shared/assert-never';

import type { CadreEvent, UnitEvent } from './events';
import type { Decided, Recorded } from './shared/messages';
import { foldCadreStream, type CadreState } from './cadre-stream/state';
import { evolveUnit, initialUnitState, type UnitState } from './units/state';

/** Folds a cadre stream from the start (with transient collections: see `foldCadreStream`). */
export const foldCadre = (events: readonly (Decided<CadreEvent> | Recorded<CadreEvent>)[]): CadreState => foldCadreStream(events);

/** Folds a unit stream from the start. */
export const foldUnit = (events: readonly (Decided<UnitEvent> | Recorded<UnitEvent>)[]): UnitState =>
  events.reduce(evolveUnit, initialUnitState());

/** `cadre-{cadreId}` and `unit-{unitId}` (ARCHITECTURE.md, "Streams"). */
export const cadreStream = (cadreId: string): string => `cadre-${cadreId}`;
/** The cadre a stream belongs to, or undefined for a unit's (or any other) stream. */
export const cadreIdOfStream = (stream: string): string | undefined => (stream.startsWith('cadre-') ? stream.slice('cadre-'.length) : undefined);
export const unitStream = (unitId: string): string => `unit-${unitId}`;
/** The unit a stream belongs to, or undefined for a cadre's (or any other) stream. */
export const unitIdOfStream = (stream: string): string | undefined => (stream.startsWith('unit-') ? stream.slice('unit-'.length) : undefined);
export { textProblem, firstTextProblem, printable, MULTILINE_FIELDS } from './shared/text';
export { commandOfEvent, isUnitCommand, COMMAND_OF_EVENT } from './command-of-event';
export { ZH, lockKindZh, lockKindLabels } from './shared/labels-zh';
export { MESSAGES_ZH, STATUS_TITLES_ZH, zhSentence, zhDetail } from './shared/messages-zh';
