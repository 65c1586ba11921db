import type { Pool } from 'pg';
import type { LocalDate } from '@cadre-ledger/domain';
import { followAll, type EventStore } from '@cadre-ledger/event-store';
import type { RuleBook } from '@cadre-ledger/policy';
import type { Evaluator, Ledger } from '@cadre-ledger/application';
import { Projector } from './postgres/projector';
import { migrateReadModels } from './postgres/comments';
import { ConflictDetector } from './conflicts/conflict-detector';
import type { CadreRows } from './rows';

export interface ReadModelRuntimeOptions {
  pool: Pool;
  store: EventStore;
  ruleBook: RuleBook;
  ledger: Ledger;
  today: () => LocalDate;
  /** How often the clock looks whether a new day has come. Default one minute. */
  clockIntervalMs?: number;
  onError?: (error: unknown) => void;
  /** Write changed verdicts to the outbox the Kafka relay drains (when Kafka is on). */
  eligibilityOutbox?: boolean;
  /** Where verdicts are computed; default inline. */
  evaluator?: Evaluator;
}

export interface ReadModelRuntime {
  projector: Projector;
  stop(): Promise<void>;
}

/**
 * What follows a projected batch, wherever a projector runs (the follow process or a consumer-group
 * replica): the conflict detector records the 选人用人 audit's pairs that came or went. It appends
 * with derived event ids, so two projectors doing it append each event once. (The influence clock
 * is a module of its own, @cadre-ledger/clock, following the store from its own checkpoint.)
 */
export function projectionReactions(options: Pick<ReadModelRuntimeOptions, 'ledger' | 'store' | 'ruleBook' | 'pool' | 'today'>): {
  conflicts: ConflictDetector;
  onProjected: (rows: ReadonlyMap<string, CadreRows | null>) => Promise<void>;
} {
  const conflicts = new ConflictDetector(options);
  return {
    conflicts,
    onProjected: async (rows) => {
      for (const [cadreId, cadre] of rows) {
        if (cadre && cadre.conflictChanges.detect.length + cadre.conflictChanges.resolve.length > 0) await conflicts.record(cadreId, cadre.conflictChanges);
      }
    },
  };
}

/**
 * The read models following the store (`npm start`, the follow process): the store's live
 * subscription wakes the projector, each projected batch lets the detector record the 选人用人
 * audit's pairs that came or went, and a new day makes the projector refresh the rows time has
 * made stale (verdicts are "as of today").
 */
export async function startReadModels(options: ReadModelRuntimeOptions): Promise<ReadModelRuntime> {
  const { pool, store, ruleBook, ledger, today } = options;
  const onError = options.onError ?? (() => undefined);
  await migrateReadModels(pool);
  const { onProjected } = projectionReactions({ ledger, store, ruleBook, pool, today });
  const projector = new Projector({
    pool,
    store,
    ruleBook,
    today,
    eligibilityOutbox: options.eligibilityOutbox,
    evaluator: options.evaluator,
    onProjected,
  });

  let running: Promise<void> = Promise.resolve();
  const serially = (work: () => Promise<unknown>) => {
    running = running.then(work).then(
      () => undefined,
      (error: unknown) => onError(error),
    );
    return running;
  };
  let lastDay: LocalDate | null = null;
  const newDay = async () => {
    if (lastDay === today()) return;
    lastDay = today();
    await projector.refreshStale();
  };

  await projector.catchUp();
  await newDay();
  // The subscription only wakes the projector; it reads from its own checkpoint. Resubscribed
  // after a store fault (followAll), so a database restart never stops the read models for good.
  // The position projected so far, as last read: an event at or below it needs no query at all,
  // and one catch-up takes in every event stored by then, so a burst costs one pass, not one each.
  let known = await projector.checkpoint();
  const follower = followAll(store, {
    from: async () => (known = await projector.checkpoint()),
    onEvent: async (event) => {
      if (event.globalPosition <= known) return;
      await serially(async () => {
        await projector.catchUp();
        known = Math.max(known, await projector.checkpoint());
      });
    },
    onError,
  });
  const timer = setInterval(() => void serially(newDay), options.clockIntervalMs ?? 60_000);
  timer.unref();

  return {
    projector,
    // Graceful: the batch in progress commits, then one last pass projects what arrived meanwhile,
    // so a process that stops leaves its checkpoint at the end of what was stored.
    stop: async () => {
      clearInterval(timer);
      await follower.stop();
      await running;
      await projector.catchUp().catch(onError);
    },
  };
}
