import type { Pool } from 'pg';
import type { LocalDate } from '@cadre-ledger/domain';
import { followWithCheckpoint, type EventStore } from '@cadre-ledger/event-store';
import type { RuleBook } from '@cadre-ledger/policy';
import type { Evaluator } from '@cadre-ledger/application';
import { Projector } from './postgres/projector';
import { migrateReadModels } from './postgres/comments';
import type { CadreRows } from './cadre-rows';

export interface ReadModelRuntimeOptions {
  pool: Pool;
  store: EventStore;
  ruleBook: RuleBook;
  today: () => LocalDate;
  /** What follows each projected batch (libs/clock's reactions: the conflict detector appends what the rows found). */
  onProjected?: (rows: ReadonlyMap<string, CadreRows | null>) => Promise<void>;
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
 * The read models following the store (`npm start`, the follow process): the store's live
 * subscription wakes the projector, each projected batch lets the detector record the 选人用人
 * audit's pairs that came or went, and a new day makes the projector refresh the rows time has
 * made stale (verdicts are "as of today").
 */
export async function startReadModels(options: ReadModelRuntimeOptions): Promise<ReadModelRuntime> {
  const { pool, store, ruleBook, today, onProjected } = options;
  const onError = options.onError ?? (() => undefined);
  await migrateReadModels(pool);
  const projector = new Projector({
    pool,
    store,
    ruleBook,
    today,
    eligibilityOutbox: options.eligibilityOutbox,
    evaluator: options.evaluator,
    onProjected,
  });

  let lastDay: LocalDate | null = null;
  // The subscription only wakes the projector; it reads from its own checkpoint, and a database
  // restart never stops the read models for good (followWithCheckpoint resubscribes).
  const follower = await followWithCheckpoint(
    store,
    {
      checkpoint: () => projector.checkpoint(),
      catchUp: () => projector.catchUp(),
      tick: async () => {
        if (lastDay === today()) return;
        lastDay = today();
        await projector.refreshStale();
      },
    },
    { intervalMs: options.clockIntervalMs ?? 60_000, onError },
  );

  return {
    projector,
    // Graceful: the batch in progress commits, then one last pass projects what arrived meanwhile,
    // so a process that stops leaves its checkpoint at the end of what was stored.
    stop: async () => {
      await follower.stop();
      await projector.catchUp().catch(onError);
    },
  };
}
