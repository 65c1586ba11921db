import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { Pool } from 'pg';
import { Ledger } from '@cadre-ledger/application';
import { AUDIT_MIGRATIONS_NAMESPACE, AccessLog, auditMigrations, type AccessKind } from '@cadre-ledger/audit';
import { openEventStore, type EventStore } from '@cadre-ledger/event-store';
import { embeddedPassword, ensureDatabase, openDatabase, runMigrations, withDatabase, type DatabaseConfig } from '@cadre-ledger/platform';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import type { RuleBook } from '@cadre-ledger/policy';
import { cliConfigFromEnv, type CliConfig } from './config';
import { usageError } from './exit-codes';

/** What a subcommand works with; `close()` releases the store and stops an embedded server we started. */
export interface LedgerContext {
  store: EventStore;
  ledger: Ledger;
  ruleBook: RuleBook;
  config: CliConfig;
  /** The ledger's PostgreSQL: the transparency log and the read audit (and the events, unless they are in EventStoreDB). */
  pool: Pool;
  /** Its URL (for worker threads that open their own connections). */
  databaseUrl: string;
  /** Who runs the command, as the read audit names them: `LEDGER_ACTOR`, else `cli:<OS user>`. */
  actor: string;
  /** Records, durably, that this command read these cadres' personal data (the read audit); before it shows them. */
  recordAccess(cadreIds: readonly string[], what: AccessKind, via: string): Promise<void>;
  close(): Promise<void>;
}

export function loadRuleBook(config: CliConfig): RuleBook {
  const dir = config.ruleSetsDir;
  try {
    return readRuleBook(dir);
  } catch (error) {
    throw usageError(`cannot load the rule sets${dir ? ` from ${dir}` : ''}: ${(error as Error).message}`);
  }
}

export function cliActor(config: CliConfig): string {
  if (config.actor) return config.actor;
  let user = 'unknown';
  try {
    user = userInfo().username || user;
  } catch {
    // No passwd entry for this uid (some containers): the uid is all there is.
    user = String(process.getuid?.() ?? user);
  }
  return `cli:${user}`;
}

/**
 * Opens the configured ledger: its PostgreSQL (`DATABASE_URL`, or the embedded server of the data
 * dir), which always holds the transparency log and the read audit, and the events there or in
 * EventStoreDB when `EVENTSTORE_CONNECTION_STRING` is set. A failure to reach either is a
 * configuration error (exit 2), not a refusal.
 */
export async function openLedgerContext(config: CliConfig = cliConfigFromEnv()): Promise<LedgerContext> {
  const ruleBook = loadRuleBook(config);
  const { hashAlgorithm, eventStoreConnectionString } = config;
  let stopDatabase: () => Promise<void> = async () => undefined;
  let url: string;
  try {
    ({ url, stop: stopDatabase } = await reachDatabase(config.database));
  } catch (error) {
    throw usageError(`cannot reach the ledger's PostgreSQL: ${(error as Error).message}`);
  }
  const pool = new Pool({ connectionString: url, max: 4 });
  pool.on('error', () => undefined);
  let store: EventStore;
  try {
    await runMigrations(pool, AUDIT_MIGRATIONS_NAMESPACE, auditMigrations);
    store = await openEventStore({ databaseUrl: url, eventStoreConnectionString, hashAlgorithm, poolSize: 8 });
  } catch (error) {
    await pool.end();
    await stopDatabase();
    throw usageError(`cannot open the event store: ${(error as Error).message}`);
  }
  const ledger = new Ledger({ store, ruleBook, now: () => new Date(), newEventId: randomUUID });
  const actor = cliActor(config);
  const accessLog = new AccessLog(pool, store.hashAlgorithm);
  return {
    store,
    ledger,
    ruleBook,
    config,
    pool,
    databaseUrl: url,
    actor,
    recordAccess: (cadreIds, what, via) => accessLog.record(cadreIds.map((cadreId) => ({ actor, cadreId, what, via }))),
    close: async () => {
      await store.close();
      await pool.end();
      await stopDatabase();
    },
  };
}

/**
 * The embedded server may already be running (`npm start` in another terminal owns the data dir):
 * then connect to it rather than start a second postmaster on the same directory, and leave it
 * running afterwards. Otherwise start it for the duration of the command.
 */
async function reachDatabase(config: DatabaseConfig): Promise<{ url: string; stop: () => Promise<void> }> {
  if (config.kind === 'external') return { url: config.url, stop: async () => undefined };
  const password = config.password ?? (await embeddedPassword(config.dataDir)).password;
  const maintenance = `postgres://${encodeURIComponent(config.user)}:${encodeURIComponent(password)}@127.0.0.1:${config.port}/postgres`;
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
