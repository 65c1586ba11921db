import { appendFile } from 'node:fs/promises';
import type { Pool } from 'pg';
import { followAll, type EventStore } from '@cadre-ledger/event-store';
import { runMigrations } from '@cadre-ledger/platform';
import { TransparencyLog } from './log';
import { AUDIT_MIGRATIONS_NAMESPACE, auditMigrations } from './schema';
import type { SigningKey, TreeHead } from './signing';

export interface TransparencyLogOptions {
  pool: Pool;
  store: EventStore;
  /** Without a key the log is built but no head is signed (a verifier then has nothing to trust). */
  key: SigningKey | null;
  /** A head is signed at most this long after an append (LEDGER_HEAD_INTERVAL_SECONDS). Default 10 s. */
  headIntervalMs?: number;
  /** Where heads go besides the database, so that they live outside it (a file, Kafka). */
  publish?: (head: TreeHead) => Promise<void>;
  onError?: (error: unknown) => void;
}

export interface TransparencyLogRuntime {
  log: TransparencyLog;
  /** Builds what is pending and signs a head now (tests, shutdown). */
  flush(): Promise<TreeHead | null>;
  stop(): Promise<void>;
}

/**
 * The log follows the store like a projector: woken by each commit, it takes in the new events and
 * schedules a head. Heads come within a second of an append when the store is busy, and never
 * later than the configured interval.
 */
export async function startTransparencyLog(options: TransparencyLogOptions): Promise<TransparencyLogRuntime> {
  const onError = options.onError ?? (() => undefined);
  await runMigrations(options.pool, AUDIT_MIGRATIONS_NAMESPACE, auditMigrations);
  const log = new TransparencyLog(options.pool, options.store, options.store.hashAlgorithm);
  const delay = Math.min(options.headIntervalMs ?? 10_000, 1_000);
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const result = running.then(work);
    running = result.catch(onError);
    return result;
  };
  const sign = async (): Promise<TreeHead | null> => {
    if (!options.key) return null;
    const head = await log.signHead(options.key);
    if (head && options.publish) await options.publish(head).catch(onError);
    return head;
  };
  const scheduleHead = () => {
    if (timer || !options.key) return;
    timer = setTimeout(() => {
      timer = undefined;
      void serially(sign).catch(onError);
    }, delay);
    timer.unref();
  };
  const catchUp = () =>
    serially(async () => {
      if ((await log.catchUp()) > 0) scheduleHead();
    });
  await catchUp();
  scheduleHead();
  let known = await log.position();
  const follower = followAll(options.store, {
    from: async () => (known = await log.position()),
    onEvent: async (event) => {
      if (event.globalPosition <= known) return;
      await catchUp().catch(onError);
      known = Math.max(known, log.takenUpTo);
    },
    onError,
  });
  return {
    log,
    flush: () => serially(async () => {
      await log.catchUp();
      return sign();
    }),
    stop: async () => {
      clearTimeout(timer);
      await follower.stop();
      await running;
    },
  };
}

/** Publishes each head as one JSON line appended to a file (LEDGER_HEADS_FILE). */
export const headsToFile = (file: string) => async (head: TreeHead): Promise<void> => {
  await appendFile(file, `${JSON.stringify(head)}\n`, { mode: 0o644 });
};
