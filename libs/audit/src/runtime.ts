import { appendFile } from 'node:fs/promises';
import type { Pool } from 'pg';
import { followAll, type EventStore } from '@cadre-ledger/event-store';
import { runMigrations } from '@cadre-ledger/platform';
import { checkpointNote, newestCheckpoint, storeCheckpoint, type StoredCheckpoint } from './checkpoints';
import { CosignatureGatherer, type WitnessEndpoint } from './cosigning';
import { TransparencyLog, latestHead } from './log';
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
  /** Each head also as a C2SP checkpoint of this origin, cosigned by these witnesses (SHA-256 trees only). */
  checkpoints?: CheckpointOptions;
  onError?: (error: unknown) => void;
}

export interface CheckpointOptions {
  origin: string;
  witnesses?: readonly WitnessEndpoint[];
  /** A witness found down is asked again after this long. Default 30 s. */
  retryMs?: number;
  timeoutMs?: number;
  /** Where each checkpoint goes, with the cosignatures gathered, once its witnesses have answered. */
  publish?: (checkpoint: StoredCheckpoint) => Promise<void>;
}

/** Witnesses cosign RFC 6962 (SHA-256) trees; an SM3 store keeps its SM3 tree and refuses them. */
export class WitnessesNeedSha256 extends Error {
  constructor(algorithm: string) {
    super(
      `this store hashes with ${algorithm}: witnesses (LEDGER_WITNESSES) cosign C2SP checkpoints, which commit to SHA-256 (RFC 6962) trees only. ` +
        'Its tree stays as it is (its heads, proofs and saved digests keep verifying): start without LEDGER_WITNESSES, or witness a store made with sha256.',
    );
    this.name = 'WitnessesNeedSha256';
  }
}

export interface TransparencyLogRuntime {
  log: TransparencyLog;
  /** Builds what is pending and signs a head now (tests, shutdown). */
  flush(): Promise<TreeHead | null>;
  /** Whom the checkpoints are sent to and how they answered; null without checkpoints. */
  witnessing: CosignatureGatherer | null;
  stop(): Promise<void>;
}

/**
 * The log follows the store like a projector: woken by each commit, it takes in the new events and
 * schedules a head. Heads come within a second of an append when the store is busy, and never
 * later than the configured interval.
 */
export async function startTransparencyLog(options: TransparencyLogOptions): Promise<TransparencyLogRuntime> {
  const onError = options.onError ?? (() => undefined);
  const algorithm = options.store.hashAlgorithm;
  if ((options.checkpoints?.witnesses?.length ?? 0) > 0 && algorithm !== 'sha256') throw new WitnessesNeedSha256(algorithm);
  await runMigrations(options.pool, AUDIT_MIGRATIONS_NAMESPACE, auditMigrations);
  const log = new TransparencyLog(options.pool, options.store, algorithm);
  const checkpoints = options.checkpoints && options.key && algorithm === 'sha256' ? { ...options.checkpoints, key: options.key } : null;
  const witnessing = checkpoints
    ? new CosignatureGatherer({
        pool: options.pool,
        algorithm,
        witnesses: checkpoints.witnesses ?? [],
        retryMs: checkpoints.retryMs ?? 30_000,
        timeoutMs: checkpoints.timeoutMs,
        publish: checkpoints.publish,
        onError,
      })
    : null;
  /** The head's checkpoint, stored, then offered to the witnesses (their answers never hold up the log). */
  const checkpoint = async (head: TreeHead) => {
    if (!checkpoints || !witnessing) return;
    witnessing.offer(await storeCheckpoint(options.pool, head, checkpoints.origin, checkpoints.key));
  };
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
    if (head) await checkpoint(head).catch(onError);
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
  if (witnessing) {
    await witnessing.start();
    // The newest head of a store that had none: its checkpoint, and a first round of asking.
    const newest = await latestHead(options.pool);
    const stored = await newestCheckpoint(options.pool);
    if (newest && (!stored || stored.treeSize < newest.treeSize)) await checkpoint(newest);
    else if (stored) witnessing.offer(stored);
  }
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
    witnessing,
    stop: async () => {
      clearTimeout(timer);
      await follower.stop();
      await running;
      await witnessing?.stop();
    },
  };
}

/** Publishes each checkpoint, with its cosignatures, appended to a file (LEDGER_CHECKPOINTS_FILE): notes one after another, a blank line between. */
export const checkpointsToFile = (file: string) => async (checkpoint: StoredCheckpoint): Promise<void> => {
  await appendFile(file, `${checkpointNote(checkpoint)}\n`, { mode: 0o644 });
};

/** Publishes each head as one JSON line appended to a file (LEDGER_HEADS_FILE). */
export const headsToFile = (file: string) => async (head: TreeHead): Promise<void> => {
  await appendFile(file, `${JSON.stringify(head)}\n`, { mode: 0o644 });
};
