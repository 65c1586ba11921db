import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { Ledger, type Evaluator } from '@cadre-ledger/application';
import { headsToFile, startTransparencyLog, type SigningKey, type TreeHead } from '@cadre-ledger/audit';
import { Kafka, logLevel } from 'kafkajs';
import type { EventStore } from '@cadre-ledger/event-store';
import { startKafkaRelay } from '@cadre-ledger/messaging';
import type { RuleBook } from '@cadre-ledger/policy';
import { startReadModels, type ReadModelRuntime } from '@cadre-ledger/projections';

export interface Following {
  readModels: ReadModelRuntime;
  /** Stops the relay, then projector and clock. */
  stop(): Promise<void>;
}

/**
 * Projector and clock following the store, and the Kafka relay when brokers are given: what
 * `npm start` runs beside the API and `npm run start:projector` runs alone.
 */
export async function startFollowing(options: {
  pool: Pool;
  store: EventStore;
  ruleBook: RuleBook;
  brokers: readonly string[];
  log: (line: string) => void;
  evaluator?: Evaluator;
  /** The ledger-wide log and its signed heads (where they are published besides the database). */
  transparency?: { key: SigningKey | null; headIntervalMs?: number; headsFile?: string };
}): Promise<Following> {
  const { pool, store, ruleBook, brokers, log, evaluator } = options;
  const ledger = new Ledger({ store, ruleBook, now: () => new Date(), newEventId: randomUUID, evaluator });
  const readModels = await startReadModels({
    pool, store, ruleBook, ledger, today: () => ledger.today(), eligibilityOutbox: brokers.length > 0, evaluator,
    onError: (error) => log(`read models: ${String(error)}`),
  });
  const stops: (() => Promise<void>)[] = [() => readModels.stop()];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    let kafkaHeads: ((head: TreeHead) => Promise<void>) | undefined;
    if (brokers.length > 0) {
      const relay = await startKafkaRelay({ pool, store, brokers: [...brokers], onError: (error) => log(`kafka relay: ${String(error)}`) });
      stops.push(() => relay.stop());
      const heads = await treeHeadsToKafka([...brokers]);
      stops.push(() => heads.stop());
      kafkaHeads = heads.publish;
    }
    if (options.transparency) {
      const { key, headIntervalMs, headsFile } = options.transparency;
      const toFile = headsFile ? headsToFile(headsFile) : undefined;
      const transparency = await startTransparencyLog({
        pool,
        store,
        key,
        headIntervalMs,
        publish: async (head) => {
          await toFile?.(head);
          await kafkaHeads?.(head);
        },
        onError: (error) => log(`transparency log: ${String(error)}`),
      });
      stops.push(() => transparency.stop());
    }
    return { readModels, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Signed heads on Kafka too (`cadre-ledger.tree-heads.v1`, key = tree size): they then live outside the database. */
async function treeHeadsToKafka(brokers: string[]): Promise<{ publish: (head: TreeHead) => Promise<void>; stop: () => Promise<void> }> {
  const producer = new Kafka({ brokers, clientId: 'cadre-ledger-tree-heads', logLevel: logLevel.WARN }).producer({ allowAutoTopicCreation: true });
  await producer.connect();
  return {
    publish: async (head) => {
      await producer.send({ topic: TREE_HEADS_TOPIC, messages: [{ key: String(head.treeSize), value: JSON.stringify(head) }] });
    },
    stop: () => producer.disconnect(),
  };
}

export const TREE_HEADS_TOPIC = 'cadre-ledger.tree-heads.v1';
