import type { Pool } from 'pg';
import type { LocalDate } from '@cadre-ledger/domain';
import { followWithCheckpoint, type EventStore } from '@cadre-ledger/event-store';
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
