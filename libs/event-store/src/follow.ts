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

/** Work that takes in the store's events from a checkpoint of its own (a projector, the clock, the relay). */
export interface CheckpointedWork {
  /** How far the work has got in the global order. */
  checkpoint(): Promise<number>;
  /** Takes in everything stored after the checkpoint. */
  catchUp(): Promise<unknown>;
  /** Run at start (after the first catch-up) and then every `intervalMs` instead of a catch-up: a new day's sweep. */
  tick?(): Promise<unknown>;
}

/**
 * Runs checkpointed work as the store grows: once at start (a failure then is thrown), then woken by the live subscription
 * (`followAll`, resubscribed after faults) and by a timer, one pass at a time. The position taken
 * in so far is remembered: an event at or below it costs no query, and one catch-up takes in every
 * event stored by then, so a burst of appends costs one pass, not one each.
 */
export async function followWithCheckpoint(
  store: EventStore,
  work: CheckpointedWork,
  options: { intervalMs: number; onError?: (error: unknown) => void },
): Promise<Follower> {
  const onError = options.onError ?? (() => undefined);
  let running: Promise<void> = Promise.resolve();
  const serially = (step: () => Promise<unknown>) => {
    running = running.then(step).then(
      () => undefined,
      (error: unknown) => onError(error),
    );
    return running;
  };
  // The first pass runs here: a failure at start is the caller's to see.
  await work.catchUp();
  await work.tick?.();
  let known = await work.checkpoint();
  const subscription = followAll(store, {
    from: async () => (known = await work.checkpoint()),
    onEvent: async (event) => {
      if (event.globalPosition <= known) return;
      await serially(async () => {
        await work.catchUp();
        known = Math.max(known, await work.checkpoint());
      });
    },
    onError,
  });
  const timer = setInterval(() => void serially(() => (work.tick ? work.tick() : work.catchUp())), options.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await subscription.stop();
      await running;
    },
  };
}
