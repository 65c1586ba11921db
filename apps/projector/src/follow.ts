import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { Ledger, type Evaluator } from '@cadre-ledger/application';
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
}): Promise<Following> {
  const { pool, store, ruleBook, brokers, log, evaluator } = options;
  const ledger = new Ledger({ store, ruleBook, now: () => new Date(), newEventId: randomUUID, evaluator });
  const readModels = await startReadModels({
    pool, store, ruleBook, ledger, today: () => ledger.today(), eligibilityOutbox: brokers.length > 0, evaluator,
    onError: (error) => log(`read models: ${String(error)}`),
  });
  if (brokers.length === 0) return { readModels, stop: () => readModels.stop() };
  try {
    const relay = await startKafkaRelay({ pool, store, brokers: [...brokers], onError: (error) => log(`kafka relay: ${String(error)}`) });
    return {
      readModels,
      stop: async () => {
        await relay.stop();
        await readModels.stop();
      },
    };
  } catch (error) {
    await readModels.stop();
    throw error;
  }
}
