/**
 * The port's `Subscription` over the client's catch-up subscription to `$all`.
 *
 * The server does the catch-up-then-live switch and filters on the ledger's stream prefixes, so
 * system events never cross the wire. This wrapper turns the client's Node stream into an async
 * iterator whose `close()` ends a pending `next()` at once: the client's own stream is not
 * guaranteed to end when the gRPC call is cancelled, and a projector stopping must not hang.
 */
import { START, streamNameFilter, type AllStreamResolvedEvent, type EventStoreDBClient } from '@eventstore/db-client';
import type { StoredEvent, Subscription } from '../port';
import { LEDGER_STREAM_PREFIXES, positionOf, toStoredEvent } from './mapping';

/** Above this many undelivered events the gRPC stream is paused, so a slow consumer bounds memory. */
const HIGH_WATER = 512;

export function subscribeToLedger(client: EventStoreDBClient, fromPosition = 0): Subscription {
  // A subscription from a position starts AFTER it, which is the port's `fromPosition` meaning.
  const source = client.subscribeToAll({
    fromPosition: fromPosition > 0 ? positionOf(fromPosition) : START,
    filter: streamNameFilter({ prefixes: [...LEDGER_STREAM_PREFIXES] }),
  });

  const buffered: StoredEvent[] = [];
  let failure: unknown;
  /** The server ended the stream: what is buffered is still delivered. */
  let ended = false;
  /** `close()` was called: nothing more is delivered. */
  let closed = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };

  source.on('data', (resolved: AllStreamResolvedEvent) => {
    if (closed) return;
    try {
      const event = toStoredEvent(resolved);
      // Defensive: whatever a server does at the boundary, never deliver the position resumed from.
      if (!event || event.globalPosition <= fromPosition) return;
      buffered.push(event);
      if (buffered.length >= HIGH_WATER) source.pause();
    } catch (error) {
      failure = error;
    }
    notify();
  });
  source.on('error', (error: unknown) => {
    failure = error;
    notify();
  });
  source.on('end', () => {
    ended = true;
    notify();
  });

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    buffered.length = 0;
    notify();
    await source.unsubscribe();
  };

  async function* events(): AsyncGenerator<StoredEvent> {
    try {
      for (;;) {
        if (closed) return;
        if (failure !== undefined) throw failure;
        const next = buffered.shift();
        if (next) {
          if (source.isPaused() && buffered.length < HIGH_WATER / 2) source.resume();
          yield next;
          continue;
        }
        if (ended) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      await close();
    }
  }

  const iterator = events();
  return { [Symbol.asyncIterator]: () => iterator, close };
}
