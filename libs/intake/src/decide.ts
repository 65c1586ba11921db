import {
  SCHEMA_VERSIONS,
  asksHistory,
  decide,
  decideUnit,
  isUnitCommand,
  unitStream,
  type CadreCommand,
  type DecidedEvent,
  type Fact,
  type LedgerCommand,
  type LocalDate,
  type PolicyPort,
  type UnitCommand,
  type UnitContext,
} from '@cadre-ledger/domain';
import type { NewEvent } from '@cadre-ledger/event-store';
import { policyPortFor, rulesOnlyPolicyPort, type RuleBook } from '@cadre-ledger/policy';
import { PENDING_RECORDED_AT, VALIDATION_KNOWN_AT, accept, type StreamView, type StreamViews } from './views';

/** What deciding in a view needs: the rules, the other streams' views, the day. */
export interface DecideContext {
  ruleBook: RuleBook;
  views: StreamViews;
  today: LocalDate;
}

/**
 * The decide step of every bulk path (the NDJSON import and the spreadsheet intake), the same as
 * the API's: the stream's folded state, and, for the commands that ask the rules about the cadre's
 * history (a promotion's locks and consultation, a 第十五条 report's open triggers), the policy
 * engine over the cadre's facts and its units' facts, as the views hold them (stored plus accepted).
 * `policy` may wrap the port (the historical mode lets a promotion inside a lock through, as a conflict).
 */
export async function decideInView(command: LedgerCommand, view: StreamView, ctx: DecideContext, options: { unit?: UnitContext; policy?: (port: PolicyPort) => PolicyPort } = {}): Promise<DecidedEvent[]> {
  if (isUnitCommand(command)) return decideUnit(command as UnitCommand, view.unitState, { isKnownJurisdiction: (j) => ctx.ruleBook.hasJurisdiction(j), ...options.unit });
  const port = asksHistory(command.type) ? policyPortFor(ctx.ruleBook, await historyFor(view, ctx), VALIDATION_KNOWN_AT) : rulesOnlyPolicyPort(ctx.ruleBook, command.type);
  return decide(command as CadreCommand, view.cadreState, options.policy ? options.policy(port) : port);
}

/**
 * Only a promotion (its locks and consultation conditions) and an adjustment case's report (the
 * triggers standing) ask the policy engine about the cadre's history, which includes the facts of
 * the units the cadre sat in; other commands ask only about the rule book.
 */
async function historyFor(view: StreamView, ctx: DecideContext): Promise<Fact[]> {
  const units = new Set<string>();
  for (const f of view.facts) if (f.type === 'CadreRegistered' || f.type === 'CadreTransferred') units.add(f.data.unitId);
  const unitFacts: Fact[] = [];
  for (const unit of units) unitFacts.push(...(await ctx.views.get(unitStream(unit))).facts);
  // A department's level is its parent's (as unitFactsFor reads it for the API).
  const parents = new Set(unitFacts.flatMap((f) => (f.type === 'UnitRegistered' && f.data.parentUnitId !== undefined && !units.has(f.data.parentUnitId) ? [f.data.parentUnitId] : [])));
  for (const parent of parents) unitFacts.push(...(await ctx.views.get(unitStream(parent))).facts.filter((f) => f.type === 'UnitRegistered'));
  return [...view.facts, ...unitFacts];
}

/** A decided event as the store takes it. */
export function newEventOf(event: DecidedEvent): NewEvent {
  return {
    eventId: event.metadata.eventId,
    type: event.type,
    schemaVersion: SCHEMA_VERSIONS[event.type],
    effectiveAt: event.metadata.effectiveAt,
    actor: event.metadata.actor,
    documentRef: event.metadata.documentRef ?? null,
    data: event.data as unknown as Record<string, unknown>,
  };
}

/**
 * Takes a decided event into its view: folded and queued to be appended (`source` says where it
 * came from, for the report). Not hashed here: the store chains each event when it appends it.
 */
export function acceptDecided(view: StreamView, event: DecidedEvent, source: number): NewEvent {
  const newEvent = newEventOf(event);
  const revision = view.revision + 1;
  const documentRef = newEvent.documentRef ?? null;
  const fact = { type: event.type, data: event.data, metadata: { eventId: newEvent.eventId, effectiveAt: newEvent.effectiveAt, recordedAt: PENDING_RECORDED_AT, actor: newEvent.actor, documentRef, revision } } as Fact;
  accept(view, fact, UNHASHED, { type: newEvent.type, effectiveAt: newEvent.effectiveAt, actor: newEvent.actor, documentRef, data: newEvent.data, revision });
  view.pending.push({ event: newEvent, line: source, revision });
  return newEvent;
}

/** The head hash of a view whose pending events are not hashed (the spreadsheet intake's). */
const UNHASHED = '';
