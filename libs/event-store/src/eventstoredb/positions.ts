/**
 * Where a read of `$all` may start.
 *
 * The port takes any number as `fromPosition` ("strictly after it"), but EventStoreDB reads its
 * log from the byte offsets where records start and fails a read that starts anywhere else (it
 * would take the middle of a record for a length prefix). Checkpoints are always event
 * positions the store returned, and cost nothing extra; for any other number the start is
 * resolved to the last event at or before it, found by reading backwards from the end. That is
 * slow in proportion to how far back the number lies, which is acceptable for the made-up
 * positions of tests and tools, never the path of a projector resuming from its checkpoint.
 */
import type { EventStoreDBClient } from '@eventstore/db-client';
import { readToEnd } from './wire-reads';

const BACKWARD_PAGE_SIZE = 512n;

/**
 * A position to read `$all` from, at or before `position`, from which everything after
 * `position` can be read: `position` itself when a read may start there, else the position of
 * the last event at or before it, or `'start'` when there is none.
 */
export async function readableStart(client: EventStoreDBClient, position: number): Promise<bigint | 'start'> {
  if (position <= 0) return 'start';
  try {
    await readToEnd(client, { kind: 'all', from: BigInt(position), maxCount: 1n });
    return BigInt(position);
  } catch {
    // Not where a record starts (or the server is unreachable, which the next read reports).
    return eventPositionAtOrBefore(client, BigInt(position));
  }
}

/** The position of the last event at or before `position`, reading `$all` backwards from the end. */
export async function eventPositionAtOrBefore(client: EventStoreDBClient, position: bigint): Promise<bigint | 'start'> {
  let from: bigint | 'end' = 'end';
  for (;;) {
    // Backwards from an event's position reads the events before it; from 'end', the newest.
    const page = await readToEnd(client, { kind: 'all', from, backwards: true, maxCount: BACKWARD_PAGE_SIZE });
    if (page === 'stream-not-found') return 'start';
    for (const record of page) {
      const recordPosition = BigInt(record.getCommitPosition());
      if (recordPosition <= position) return recordPosition;
      from = recordPosition;
    }
    if (BigInt(page.length) < BACKWARD_PAGE_SIZE) return 'start';
  }
}
