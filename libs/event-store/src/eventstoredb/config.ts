import { EventStoreDbEventStore } from './eventstoredb-event-store';

/** The variable that switches the ledger from PostgreSQL to EventStoreDB (ARCHITECTURE.md, "Where it runs"). */
export const EVENTSTORE_CONNECTION_STRING = 'EVENTSTORE_CONNECTION_STRING';

/**
 * The EventStoreDB adapter when `EVENTSTORE_CONNECTION_STRING` is set (`esdb://host:2113?tls=false`,
 * `esdb+discover://…` for a cluster), otherwise `undefined`: PostgreSQL is the default store.
 */
export function eventStoreDbFromEnv(env: NodeJS.ProcessEnv = process.env): EventStoreDbEventStore | undefined {
  const connectionString = env[EVENTSTORE_CONNECTION_STRING]?.trim();
  return connectionString ? EventStoreDbEventStore.fromConnectionString(connectionString) : undefined;
}
