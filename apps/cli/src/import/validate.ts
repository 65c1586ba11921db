import canonicalize from 'canonicalize';
import {
  SCHEMA_VERSIONS,
  isDomainError,
  isLocalDate,
  type DecidedEvent,
  type Fact,
  type LedgerEvent,
  type LocalDate,
  type UnitContext,
  commandOfEvent,
} from '@cadre-ledger/domain';
import { handleCommand } from '@cadre-ledger/application';

import { chainHash, type HashFormat, type NewEvent } from '@cadre-ledger/event-store';
import type { RuleBook } from '@cadre-ledger/policy';
import type { ImportLine } from './shapes';
import { PENDING_RECORDED_AT, accept, viewContext, viewStreams, type StreamView, type StreamViews } from '@cadre-ledger/intake';

export type Verdict = { accepted: NewEvent } | { alreadyStored: true } | { refused: string };

export interface ValidationContext {
  ruleBook: RuleBook;
  views: StreamViews;
  /** Today in China: no fact may take effect later. */
  today: LocalDate;
  /** How the store being imported into hashes new events. */
  hashFormat: HashFormat;
}

/**
 * Checks one shape-valid line against its stream (as stored plus what this import accepted before
 * it): an idempotent re-run of a stored event, or the next revision whose hash, if given, is right
 * and whose content is exactly what the decider produces from the equivalent command. On
 * acceptance the event joins the view's pending batch.
 */
export async function validateLine(line: ImportLine, lineNumber: number, view: StreamView, ctx: ValidationContext): Promise<Verdict> {
  const documentRef = line.documentRef ?? null;
  const schemaVersion = line.schemaVersion ?? 1;
  const known = view.byId.get(line.eventId);
  if (known) {
    const same =
      known.type === line.type &&
      known.effectiveAt === line.effectiveAt &&
      known.actor === line.actor &&
      known.documentRef === documentRef &&
      (line.revision === undefined || known.revision === line.revision) &&
      sameData(known.data, line.data);
    return same ? { alreadyStored: true } : { refused: `eventId ${line.eventId} is already in ${line.stream} (revision ${known.revision}) with different content` };
  }
  if (schemaVersion !== SCHEMA_VERSIONS[line.type]) return { refused: `${line.type} has schema version ${SCHEMA_VERSIONS[line.type]}, not ${schemaVersion}` };
  const revision = view.revision + 1;
  if (line.revision !== undefined && line.revision !== revision) {
    return { refused: `${line.stream} is at revision ${view.revision}, so the next event is revision ${revision}, not ${line.revision} (an earlier line of this stream is missing or was refused)` };
  }
  // The file's own chain (as the exporting store hashed it) proves the file was not altered; the
  // new store hashes each event again in its own format.
  if (line.prevHash !== undefined && line.prevHash !== view.fileHeadHash) return { refused: `prevHash does not match the hash of ${line.stream} revision ${view.revision}` };
  const event: NewEvent = { eventId: line.eventId, type: line.type, schemaVersion, effectiveAt: line.effectiveAt, actor: line.actor, documentRef, data: line.data };
  const content = { ...event, schemaVersion, documentRef, stream: line.stream, revision };
  if (line.hash !== undefined && line.hash !== chainHash(view.fileHeadHash, content, line.hashFormat ?? 'v1')) return { refused: 'hash does not match the line\'s content (altered after export?)' };
  // The store chains the event itself when it appends it; the view needs a hash of its own only
  // for a line that brings none (the next line's prevHash is then checked against this one).
  const hash = line.hash ?? chainHash(view.headHash, content, ctx.hashFormat);

  const refusal = await decideAgain(line, view, ctx, () => {
    const fact = { type: line.type, data: line.data, metadata: { eventId: line.eventId, effectiveAt: line.effectiveAt, recordedAt: PENDING_RECORDED_AT, actor: line.actor, documentRef, revision } } as Fact;
    accept(view, fact, hash, { type: line.type, effectiveAt: line.effectiveAt, actor: line.actor, documentRef, data: line.data, revision });
    view.pending.push({ event, line: lineNumber, revision });
    return event;
  });
  if (refusal) return { refused: refusal };
  return { accepted: event };
}

/** Key order does not matter; the plain serialisation usually agrees already, and is cheaper. */
const sameData = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b) || canonicalize(a) === canonicalize(b);

/** A line whose event is not what the decider makes of its command. */
class NotDecided extends Error {}

/**
 * Runs the equivalent command through the one command path, over the views: its append step
 * takes the line in (`acceptLine`) only when the decider produces exactly the line's event.
 * Answers why the line is refused, or undefined.
 */
async function decideAgain(line: ImportLine, view: StreamView, ctx: ValidationContext, acceptLine: () => NewEvent): Promise<string | undefined> {
  if (!isLocalDate(line.effectiveAt)) return `effectiveAt ${JSON.stringify(line.effectiveAt)} is not a YYYY-MM-DD date`;
  if (line.effectiveAt > ctx.today) return `effectiveAt ${line.effectiveAt} is later than today (${ctx.today})`;
  // A retraction's effective date is the day it was recorded, which the decider takes from `today`.
  const today = line.type === 'EntryRetracted' ? line.effectiveAt : ctx.today;
  const command = commandOfEvent({ type: line.type, data: line.data } as LedgerEvent, line.effectiveAt, { eventId: line.eventId, actor: line.actor, documentRef: line.documentRef ?? null, today });
  const streams = {
    ...viewStreams(ctx.views, () => 0),
    append: async (_stream: string, decided: readonly DecidedEvent[]) => {
      const why = differs(line, decided);
      if (why) throw new NotDecided(why);
      return [acceptLine()];
    },
  };
  try {
    const handled = await handleCommand(viewContext(ctx.ruleBook, today, () => line.eventId), streams, view.stream, command, {
      eventId: line.eventId,
      // A claim is a line of its own; a registration is decided on its own stream (its parent's is another stream's line).
      unitContext: { parent: undefined, ...recordedQuota(line, view) },
    });
    return handled.events.length === 0 ? 'the decider finds it already recorded (nothing to append)' : undefined;
  } catch (error) {
    if (error instanceof NotDecided) return error.message;
    if (isDomainError(error)) return `refused by the decider: ${error.code}: ${error.message}`;
    throw error;
  }
}

/** Why the decided events are not the line's, or undefined when they are exactly it. */
function differs(line: ImportLine, decided: readonly DecidedEvent[]): string | undefined {
  if (decided.length !== 1) return 'the decider produces several events';
  const [event] = decided;
  if (event.type !== line.type) return `the decider produces a ${event.type}, not a ${line.type}`;
  if (event.metadata.effectiveAt !== line.effectiveAt) return `the decider dates it ${event.metadata.effectiveAt}, not ${line.effectiveAt}`;
  if (!sameData(event.data, line.data)) return 'the decider produces different data (a field it would drop or add)';
  return undefined;
}

/**
 * A quota claim was decided by the rule in force when it was recorded, which may not be today's:
 * it is checked against the limit it recorded (the unit's other claims still count against it).
 */
function recordedQuota(line: ImportLine, view: StreamView): UnitContext {
  if (line.type !== 'ExcellenceQuotaClaimed') return {};
  const { ruleId, limit, year } = line.data as { ruleId: string; limit: number; year: number };
  const headcount = view.unitState.quotas.get(year);
  if (!headcount) return {};
  const rate = limit / headcount;
  return { excellenceQuota: () => ({ ruleId, rate, cap: rate, citation: { document: '', article: '', text: '' } }) };
}
