import type { EventStore, StoredEvent } from './port';

export interface Follower {
  /** Ends the subscription and waits for the handler in flight. */
  stop(): Promise<void>;
}

export interface FollowOptions {
  /** Where to (re)start: asked again after every failure, so it resumes from what was processed. */
  from: () => Promise<number>;
  onEvent: (event: StoredEvent) => Promise<void>;
  onError?: (error: unknown) => void;
  /** First pause after a failure; it doubles up to `maxBackoffMs`. Default 250 ms and 5 s. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * The store's live subscription, resubscribed after any failure (the database restarted, the
 * cluster lost its leader) with a growing pause, so that projector and relay never stop following
 * for good. Asking `from` again each time makes it resume where the work actually got to.
 */
export function followAll(store: EventStore, options: FollowOptions): Follower {
  const onError = options.onError ?? (() => undefined);
  const firstPause = options.backoffMs ?? 250;
  const maxPause = options.maxBackoffMs ?? 5_000;
  let stopped = false;
  let current: { close(): Promise<void> } | undefined;
  let wake: (() => void) | undefined;

  const loop = (async () => {
    let pause = firstPause;
    while (!stopped) {
      try {
        const subscription = store.subscribeToAll({ fromPosition: await options.from() });
        current = subscription;
        if (stopped) await subscription.close();
        for await (const event of subscription) {
          await options.onEvent(event);
          pause = firstPause;
        }
      } catch (error) {
        if (stopped) break;
        onError(error);
      } finally {
        await current?.close().catch(() => undefined);
        current = undefined;
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
      pause = Math.min(pause * 2, maxPause);
    }
  })();

  return {
    stop: async () => {
      stopped = true;
      wake?.();
      await current?.close().catch(() => undefined);
      await loop;
    },
  };
}
