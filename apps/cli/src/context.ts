import { randomUUID } from 'node:crypto';
import { Ledger } from '@cadre-ledger/application';
import { PostgresEventStore, type EventStore } from '@cadre-ledger/event-store';
import { databaseConfigFromEnv, ensureDatabase, openDatabase, withDatabase, type DatabaseConfig } from '@cadre-ledger/platform';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import type { RuleBook } from '@cadre-ledger/policy';
import { cliConfigFromEnv, databaseEnv, type CliConfig } from './config';
import { usageError } from './exit-codes';

/** What a subcommand works with; `close()` releases the store and stops an embedded server we started. */
export interface LedgerContext {
  store: EventStore;
  ledger: Ledger;
  ruleBook: RuleBook;
  config: CliConfig;
  close(): Promise<void>;
}

export function loadRuleBook(config: CliConfig): RuleBook {
  const dir = config.env.LEDGER_RULESETS_DIR?.trim();
  try {
    return readRuleBook(dir || undefined);
  } catch (error) {
    throw usageError(`cannot load the rule sets${dir ? ` from ${dir}` : ''}: ${(error as Error).message}`);
  }
}

/**
 * Opens the configured store: EventStoreDB when `EVENTSTORE_CONNECTION_STRING` is set, otherwise
 * PostgreSQL (`DATABASE_URL`, or the embedded server of the data dir). A failure to reach it is a
 * configuration error (exit 2), not a refusal.
 */
export async function openLedgerContext(config: CliConfig = cliConfigFromEnv()): Promise<LedgerContext> {
  const ruleBook = loadRuleBook(config);
  if (config.env.EVENTSTORE_CONNECTION_STRING?.trim()) {
    // Loaded only when asked for: the gRPC client adds a second to every start-up otherwise.
    const { eventStoreDbFromEnv } = await import('@cadre-ledger/event-store/eventstoredb');
    const esdb = eventStoreDbFromEnv(config.env);
    if (esdb) return assemble(esdb, ruleBook, config, async () => esdb.close());
  }
  let stopDatabase: () => Promise<void> = async () => undefined;
  let url: string;
  try {
    ({ url, stop: stopDatabase } = await reachDatabase(databaseConfigFromEnv(databaseEnv(config))));
  } catch (error) {
    throw usageError(`cannot reach the ledger's PostgreSQL: ${(error as Error).message}`);
  }
  try {
    const store = await PostgresEventStore.open({ connectionString: url, poolSize: 8 });
    return assemble(store, ruleBook, config, async () => {
      await store.close();
      await stopDatabase();
    });
  } catch (error) {
    await stopDatabase();
    throw usageError(`cannot open the event store: ${(error as Error).message}`);
  }
}

function assemble(store: EventStore, ruleBook: RuleBook, config: CliConfig, close: () => Promise<void>): LedgerContext {
  const ledger = new Ledger({ store, ruleBook, now: () => new Date(), newEventId: randomUUID });
  return { store, ledger, ruleBook, config, close };
}

/**
 * The embedded server may already be running (`npm start` in another terminal owns the data dir):
 * then connect to it rather than start a second postmaster on the same directory, and leave it
 * running afterwards. Otherwise start it for the duration of the command.
 */
async function reachDatabase(config: DatabaseConfig): Promise<{ url: string; stop: () => Promise<void> }> {
  if (config.kind === 'external') return { url: config.url, stop: async () => undefined };
  const maintenance = `postgres://${encodeURIComponent(config.user)}:${encodeURIComponent(config.password)}@127.0.0.1:${config.port}/postgres`;
  try {
    await ensureDatabase(maintenance, config.database);
    return { url: withDatabase(maintenance, config.database), stop: async () => undefined };
  } catch (error) {
    if ((error as { code?: string }).code !== 'ECONNREFUSED') throw error;
  }
  return openDatabase(config);
}

/** Runs `work` with an open context and always closes it. */
export async function withLedger<T>(work: (context: LedgerContext) => Promise<T>): Promise<T> {
  const context = await openLedgerContext();
  try {
    return await work(context);
  } finally {
    await context.close();
  }
}
