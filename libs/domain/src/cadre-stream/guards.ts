import type { CadreEvent, DecidedEvent, LedgerEvent } from '../events';
import type { Command, CommandMetadata, Noted } from '../shared/messages';
import { DomainError } from '../shared/errors';
import { isLocalDate, type LocalDate } from '../shared/local-date';
import { IDENTIFIER_PATTERN, MANAGED_BY, MAX_DOCUMENT_REF_LENGTH, MAX_NOTE_LENGTH, type ManagedBy } from '../shared/vocabulary';
import { firstTextProblem } from '../shared/text';
import type { CadreState, RegisteredCadre } from './state';

/** Every command on an existing cadre starts here. */
export function requireRegistered(state: CadreState): RegisteredCadre {
  if (!state.registered) throw new DomainError('cadre-not-found', 'not-found', 'no such cadre');
  return state;
}

/** The earliest `effectiveAt` accepted unless the deployment says otherwise (LEDGER_EARLIEST_DATE). */
export const DEFAULT_EARLIEST_DATE: LocalDate = '1900-01-01';

/**
 * `effectiveAt` must be a real date, not before the earliest the ledger accepts (year 0000 is a
 * typing error, not a decision) and not later than the server's today (API.md: 422).
 */
export type DateBounds = Pick<CommandMetadata, 'today' | 'earliest'>;

export function requireEffectiveDate(effectiveAt: LocalDate, { today, earliest = DEFAULT_EARLIEST_DATE }: DateBounds): void {
  if (!isLocalDate(effectiveAt)) {
    throw new DomainError('invalid-date', 'invalid', `effectiveAt ${JSON.stringify(effectiveAt)} is not a YYYY-MM-DD date`);
  }
  if (effectiveAt < earliest) {
    throw new DomainError('effective-date-too-early', 'unprocessable', `effectiveAt ${effectiveAt} is before ${earliest}, the earliest date this ledger accepts`, { earliest });
  }
  if (effectiveAt > today) {
    throw new DomainError('effective-date-in-future', 'unprocessable', `effectiveAt ${effectiveAt} is later than today (${today})`);
  }
}

export function requireIdentifier(field: string, value: string): void {
  if (!IDENTIFIER_PATTERN.test(value)) {
    throw new DomainError('invalid-identifier', 'invalid', `${field} must match ${IDENTIFIER_PATTERN.source}`);
  }
}

/** `measureTakenBy`, when given, is a management level (adjustments and sanctions). */
export function requireMeasureTakenBy(measureTakenBy: ManagedBy | undefined): void {
  if (measureTakenBy !== undefined && !(MANAGED_BY as readonly string[]).includes(measureTakenBy)) {
    throw new DomainError('invalid-measure-taken-by', 'invalid', `measureTakenBy must be one of ${MANAGED_BY.join(', ')}, got ${JSON.stringify(measureTakenBy)}`);
  }
}

function requireMetadataLimits(command: Command<string, unknown>): void {
  const { documentRef } = command.metadata;
  // The data as stored (an adapter may hand the 文号 over with it), then the 文号.
  const { documentRef: _handedOver, ...data } = command.data as { documentRef?: unknown };
  const text = firstTextProblem(data, '') ?? (documentRef ? firstTextProblem(documentRef, 'documentRef') : null);
  if (text) throw new DomainError('invalid-text', 'invalid', `${text.field} ${text.message}`, { field: text.field });
  if (documentRef != null && documentRef.length > MAX_DOCUMENT_REF_LENGTH) {
    throw new DomainError('document-ref-too-long', 'invalid', `documentRef is longer than ${MAX_DOCUMENT_REF_LENGTH} characters`);
  }
  const { note } = command.data as Noted;
  if (note != null && note.length > MAX_NOTE_LENGTH) {
    throw new DomainError('note-too-long', 'invalid', `note is longer than ${MAX_NOTE_LENGTH} characters`);
  }
}

/** The one event a command produces: its data without `effectiveAt`, which moves to the metadata. */
export function emit<E extends LedgerEvent>(
  command: Command<string, E['data'] & { effectiveAt?: LocalDate }>,
  type: E['type'],
  data: E['data'],
  effectiveAt: LocalDate,
): DecidedEvent<E>[] {
  requireMetadataLimits(command);
  const { eventId, actor, documentRef } = command.metadata;
  const event = { type, data: withoutEffectiveAt(data), metadata: { eventId, effectiveAt, actor, documentRef: documentRef ?? null } };
  return [event as unknown as DecidedEvent<E>];
}

/**
 * A command's data as its event's: without `effectiveAt` (it moves to the metadata) and without the
 * 文号 an adapter may hand over with the data (it is metadata too), as plain data.
 */
function withoutEffectiveAt<D>(data: D): D {
  const { effectiveAt: _effectiveAt, documentRef: _documentRef, ...rest } = data as D & { effectiveAt?: unknown; documentRef?: unknown };
  return plain(rest) as D;
}

/**
 * Stored data is plain JSON data and never holds `undefined` members, so hashing and JSON round
 * trips agree: arrays and objects (a validated DTO's class instances too) copied member by member.
 */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (v === undefined ? [] : [[k, plain(v)]])));
}

/** covers/retractions point at live events of the same cadre (API.md: an unknown one is a 422). */
export function requireEntries(
  state: RegisteredCadre,
  eventIds: readonly string[],
  allowedTypes: readonly CadreEvent['type'][],
  field: string,
  /** A clearance or a tolerance request answers facts that came before it, never later ones. */
  notAfter?: LocalDate,
): void {
  if (eventIds.length === 0) throw new DomainError('covers-empty', 'invalid', `${field} must name at least one event`);
  if (new Set(eventIds).size !== eventIds.length) {
    throw new DomainError('covers-duplicate', 'invalid', `${field} names the same event twice`);
  }
  for (const id of eventIds) {
    const entry = state.entries.get(id);
    if (!entry || entry.retracted) {
      throw new DomainError('unknown-covered-event', 'unprocessable', `${field}: ${id} is not an event of this cadre`, { eventId: id });
    }
    if (!allowedTypes.includes(entry.type)) {
      throw new DomainError(
        'uncoverable-event',
        'unprocessable',
        `${field}: ${id} is a ${entry.type}; only ${allowedTypes.join(', ')} can be covered`,
        { eventId: id },
      );
    }
    if (notAfter !== undefined && entry.effectiveAt > notAfter) {
      throw new DomainError(
        'covers-later-fact',
        'unprocessable',
        `${field}: ${id} takes effect on ${entry.effectiveAt}, after this decision (${notAfter}); a decision covers only facts before it`,
        { eventId: id },
      );
    }
  }
}
