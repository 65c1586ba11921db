import type { EventStore } from './port';
import { PostgresEventStore } from './postgres';

/**
 * The configured event store: EventStoreDB when a connection string is given, otherwise the
 * PostgreSQL of `databaseUrl` (ARCHITECTURE.md, "Where it runs"). Read models stay in PostgreSQL
 * either way.
 */
export async function openEventStore(options: { databaseUrl: string; eventStoreConnectionString?: string }): Promise<EventStore> {
  if (options.eventStoreConnectionString) {
    // Loaded only when asked for: the gRPC client is heavy and PostgreSQL is the default.
    const { EventStoreDbEventStore } = await import('./eventstoredb');
    return EventStoreDbEventStore.fromConnectionString(options.eventStoreConnectionString);
  }
  return PostgresEventStore.open({ connectionString: options.databaseUrl });
}
