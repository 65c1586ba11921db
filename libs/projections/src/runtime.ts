import type { Pool } from 'pg';
import type { LocalDate } from '@cadre-ledger/domain';
import { followAll, type EventStore } from '@cadre-ledger/event-store';
import type { RuleBook } from '@cadre-ledger/policy';
import type { Evaluator, Ledger } from '@cadre-ledger/application';
import { Projector } from './postgres/projector';
import { migrateReadModels } from './postgres/comments';
import { InfluenceClock } from './clock/influence-clock';
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
  clock: InfluenceClock;
  stop(): Promise<void>;
}

/**
 * What follows a projected batch, wherever a projector runs: the clock marks the locks the rows
 * found ended, and the conflict detector records the 选人用人 audit's pairs that came or went. Both
 * append with derived event ids, so two projectors doing it append each event once.
 */
export function projectionReactions(options: Pick<ReadModelRuntimeOptions, 'ledger' | 'store' | 'ruleBook' | 'pool' | 'today'>): {
  clock: InfluenceClock;
  conflicts: ConflictDetector;
  onProjected: (rows: ReadonlyMap<string, CadreRows | null>) => Promise<void>;
} {
  const clock = new InfluenceClock(options);
  const conflicts = new ConflictDetector(options);
  return {
    clock,
    conflicts,
    onProjected: async (rows) => {
      for (const [cadreId, cadre] of rows) {
        if (!cadre) continue;
        if (cadre.awaitingMark.length > 0) await clock.markLocks(cadreId, cadre.awaitingMark);
        if (cadre.conflictChanges.detect.length + cadre.conflictChanges.resolve.length > 0) await conflicts.record(cadreId, cadre.conflictChanges);
      }
    },
  };
}

/**
 * Projector, clock and conflict detector in one process (`npm start`): the store's live
 * subscription wakes the projector, each projected batch lets the clock mark the locks that ended
 * and the detector record the 选人用人 audit's pairs that came or went, and a new day makes
 * the clock sweep and the projector refresh the rows time has made stale.
 */
export async function startReadModels(options: ReadModelRuntimeOptions): Promise<ReadModelRuntime> {
  const { pool, store, ruleBook, ledger, today } = options;
  const onError = options.onError ?? (() => undefined);
  await migrateReadModels(pool);
  const { clock, onProjected } = projectionReactions({ ledger, store, ruleBook, pool, today });
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
    const swept = await clock.sweep();
    await projector.refresh(swept.cadres);
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
    clock,
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
