/**
 * The port's `Subscription` over a catch-up subscription to `$all`.
 *
 * The server does the catch-up-then-live switch and filters on the ledger's stream prefixes, so
 * the server's own events never cross the wire. This wrapper turns the gRPC call into an async
 * iterator whose `close()` ends a pending `next()` at once: a projector stopping must not hang
 * on a stream that only ends when the server says so.
 */
import { convertToCommandError, type EventStoreDBClient } from '@eventstore/db-client';
import type { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { StoredEvent, Subscription } from '../port';
import { LEDGER_STREAM_PREFIXES, toStoredEvent } from './mapping';
import { readableStart } from './positions';
import { openRead, type RawReadStream } from './wire-reads';

/** Above this many undelivered events the gRPC stream is paused, so a slow consumer bounds memory. */
const HIGH_WATER = 512;

export function subscribeToLedger(client: EventStoreDBClient, fromPosition = 0): Subscription {
  const buffered: StoredEvent[] = [];
  let failure: unknown;
  /** `close()` was called: nothing more is delivered. */
  let closed = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };

  const attach = (call: RawReadStream): void => {
    call.on('data', (response: ReadResp) => {
      // After a failure nothing more is buffered: delivering later events would leave a gap.
      if (closed || failure !== undefined) return;
      const record = response.getEvent()?.getEvent();
      if (!record) return; // confirmation, checkpoint, caught-up: nothing to deliver
      try {
        const event = toStoredEvent(record);
        // Defensive: whatever a server does at the boundary, never deliver the position resumed from.
        if (!event || event.globalPosition <= fromPosition) return;
        buffered.push(event);
        if (buffered.length >= HIGH_WATER) call.pause();
      } catch (error) {
        failure = error;
      }
      notify();
    });
    call.on('error', (error: Error) => {
      if (!closed) failure = convertToCommandError(error);
      notify();
    });
    // A subscription has no natural end: one the server ends is a failure the consumer must
    // see (and resubscribe from its checkpoint), never a quiet end of iteration.
    call.on('end', () => {
      if (!closed && failure === undefined) failure = new Error('EventStoreDB ended the subscription to $all');
      notify();
    });
  };

  const opened: Promise<RawReadStream | undefined> = (async () => {
    // A subscription from a position starts AFTER it, which is the port's `fromPosition` meaning;
    // a number that is no event's position is first resolved to one the server can start from.
    const from = await readableStart(client, fromPosition);
    const call = await openRead(client, { kind: 'subscribe-all', from, streamPrefixes: LEDGER_STREAM_PREFIXES });
    attach(call);
    return call;
  })().catch((error: unknown) => {
    failure = error;
    notify();
    return undefined;
  });

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    buffered.length = 0;
    notify();
    (await opened)?.cancel();
  };

  async function* events(): AsyncGenerator<StoredEvent> {
    try {
      for (;;) {
        if (closed) return;
        // What arrived before a failure is still delivered, then the failure.
        const next = buffered.shift();
        if (next) {
          if (buffered.length < HIGH_WATER / 2) (await opened)?.resume();
          yield next;
          continue;
        }
        if (failure !== undefined) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      await close();
    }
  }

  const iterator = events();
  return { [Symbol.asyncIterator]: () => iterator, close };
}
