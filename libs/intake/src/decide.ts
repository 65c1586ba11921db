import { toNewEvent, type CommandPathContext, type CommandStreams, type StreamSnapshot } from '@cadre-ledger/application';
import { SCHEMA_VERSIONS, cadreIdOfStream, type DecidedEvent, type Fact, type LedgerEvent, type LocalDate } from '@cadre-ledger/domain';
import type { NewEvent } from '@cadre-ledger/event-store';
import type { RuleBook } from '@cadre-ledger/policy';
import { PENDING_RECORDED_AT, VALIDATION_KNOWN_AT, accept, type StreamView, type StreamViews } from './views';

/** A stream as the command path reads it from a view: stored plus accepted, the view itself kept for its state. */
interface ViewSnapshot extends StreamSnapshot {
  view: StreamView;
}

const snapshotOf = (view: StreamView): ViewSnapshot => ({ stream: view.stream, revision: view.revision, facts: view.facts, events: [], view });

/**
 * The command path's streams over an import's views (both bulk paths: the spreadsheet intake and
 * the NDJSON import): read from the views (stored plus what the file already added), the state the
 * view keeps folded, and an append that queues the events in the view, to be appended to the store
 * later in batches of streams (`appendPending`). `source` says which row or line is being handled.
 */
export function viewStreams(views: StreamViews, source: () => number): CommandStreams<NewEvent> {
  return {
    read: async (streams) => Promise.all(streams.map(async (stream) => snapshotOf(await views.get(stream)))),
    state: <S>(snapshot: StreamSnapshot) => {
      const { view } = snapshot as ViewSnapshot;
      return (cadreIdOfStream(view.stream) === undefined ? view.unitState : view.cadreState) as S;
    },
    append: async (stream, events) => {
      const view = await views.get(stream);
      return events.map((event) => acceptDecided(view, event, source()));
    },
    landed: (snapshot, eventId) => {
      const known = (snapshot as ViewSnapshot).view.byId.get(eventId);
      return known && { eventId, type: known.type, schemaVersion: SCHEMA_VERSIONS[known.type as LedgerEvent['type']], effectiveAt: known.effectiveAt, actor: known.actor, documentRef: known.documentRef, data: known.data };
    },
  };
}

/**
 * What deciding in views is judged with: the rules, the import's `today`, and everything the
 * import holds as known (whatever the clocks of database and host say). Nothing races an import's
 * views: a decision is never retried.
 */
export function viewContext(ruleBook: RuleBook, today: LocalDate, newEventId: () => string): CommandPathContext {
  return { ruleBook, today: () => today, now: () => VALIDATION_KNOWN_AT, newEventId, retries: 0 };
}

/**
 * Takes a decided event into its view: folded and queued to be appended (`source` says where it
 * came from, for the report). Not hashed here: the store chains each event when it appends it.
 */
export function acceptDecided(view: StreamView, event: DecidedEvent, source: number): NewEvent {
  const newEvent = toNewEvent(event);
  const revision = view.revision + 1;
  const documentRef = newEvent.documentRef ?? null;
  const fact = { type: event.type, data: event.data, metadata: { eventId: newEvent.eventId, effectiveAt: newEvent.effectiveAt, recordedAt: PENDING_RECORDED_AT, actor: newEvent.actor, documentRef, revision } } as Fact;
  accept(view, fact, UNHASHED, { type: newEvent.type, effectiveAt: newEvent.effectiveAt, actor: newEvent.actor, documentRef, data: newEvent.data, revision });
  view.pending.push({ event: newEvent, line: source, revision });
  return newEvent;
}

/** The head hash of a view whose pending events are not hashed (the spreadsheet intake's). */
const UNHASHED = '';
