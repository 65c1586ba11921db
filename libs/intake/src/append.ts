import { DuplicateEventIdConflict, MAX_EVENTS_PER_ATOMIC_APPEND, WrongExpectedRevision, type EventStore, type StreamAppend } from '@cadre-ledger/event-store';
import type { PendingEvent, StreamView } from './views';

/**
 * Events per commit when the store can commit several streams at once: enough streams to share
 * one commit (a commit, not a row, is what a store's disk waits for), few enough that a transaction
 * holds the global order's readers back only briefly (ARCHITECTURE.md, positions and visibility).
 */
const EVENTS_PER_COMMIT = 1000;
/** Commits in flight at once; single-stream appends in flight when the store has no multi-stream append. */
const COMMITS_IN_FLIGHT = 4;
const APPENDS_IN_FLIGHT = 8;

/** Events accepted for one stream, to append from the first one's revision. */
export interface PendingBatch {
  view: StreamView;
  pending: readonly PendingEvent[];
}

/**
 * Appends each batch (a stream's accepted events, from the first one's revision), calling
 * `appended` for each stream stored. On a store with `appendToStreams`, many streams per commit;
 * a group refused there (another writer got in first, or an earlier run stored part of it) is
 * appended again stream by stream, where a re-sent append is recognised as already stored and a
 * real conflict is raised as the store raises it (or handed to `failed`, when given, and the other
 * streams go on). Otherwise, and for a stream too large for one commit, stream by stream.
 */
export async function appendPending(
  store: EventStore,
  batches: readonly PendingBatch[],
  appended: (batch: PendingBatch) => void,
  failed?: (batch: PendingBatch, error: unknown) => void,
): Promise<void> {
  const oneByOne = async (group: readonly PendingBatch[]) => {
    for (const batch of group) {
      try {
        for (let from = 0; from < batch.pending.length; from += MAX_EVENTS_PER_ATOMIC_APPEND) {
          const part = partOf(batch, from, from + MAX_EVENTS_PER_ATOMIC_APPEND);
          await store.appendToStream(part.stream, part.events, { expectedRevision: part.expectedRevision });
        }
      } catch (error) {
        if (!failed) throw error;
        failed(batch, error);
        continue;
      }
      appended(batch);
    }
  };
  const atomic = store.appendToStreams?.bind(store);
  if (!atomic) return parallel(batches.map((batch) => [batch]), APPENDS_IN_FLIGHT, oneByOne);
  const groups: PendingBatch[][] = [];
  let group: PendingBatch[] = [];
  let events = 0;
  for (const batch of batches) {
    if (group.length > 0 && events + batch.pending.length > EVENTS_PER_COMMIT) {
      groups.push(group);
      group = [];
      events = 0;
    }
    group.push(batch);
    events += batch.pending.length;
  }
  if (group.length > 0) groups.push(group);
  await parallel(groups, COMMITS_IN_FLIGHT, async (members) => {
    const size = members.reduce((n, batch) => n + batch.pending.length, 0);
    if (size <= MAX_EVENTS_PER_ATOMIC_APPEND) {
      try {
        await atomic(members.map((batch) => partOf(batch, 0, batch.pending.length)));
        members.forEach(appended);
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevision || error instanceof DuplicateEventIdConflict)) throw error;
      }
    }
    await oneByOne(members);
  });
}

/** Every stream's pending events, as batches. */
export const pendingOf = (views: readonly StreamView[]): PendingBatch[] => views.map((view) => ({ view, pending: view.pending }));

function partOf({ view, pending: all }: PendingBatch, from: number, to: number): StreamAppend {
  const pending = all.slice(from, to);
  const first = pending[0].revision;
  return { stream: view.stream, events: pending.map((p) => p.event), expectedRevision: first === 0 ? 'no-stream' : first - 1 };
}

async function parallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
