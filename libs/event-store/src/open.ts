import type { EventStore } from './port';
import type { HashAlgorithm } from './hash-chain';
import { PostgresEventStore } from './postgres';

/**
 * The configured event store: EventStoreDB when a connection string is given, otherwise the
 * PostgreSQL of `databaseUrl` (ARCHITECTURE.md, "Where it runs"). Read models stay in PostgreSQL
 * either way.
 */
export async function openEventStore(options: { databaseUrl: string; eventStoreConnectionString?: string; hashAlgorithm?: HashAlgorithm; poolSize?: number }): Promise<EventStore> {
  if (options.eventStoreConnectionString) {
    // Loaded only when asked for: the gRPC client is heavy and PostgreSQL is the default.
    const { EventStoreDbEventStore } = await import('./eventstoredb');
    return EventStoreDbEventStore.open(options.eventStoreConnectionString, { hashAlgorithm: options.hashAlgorithm });
  }
  return PostgresEventStore.open({ connectionString: options.databaseUrl, hashAlgorithm: options.hashAlgorithm, poolSize: options.poolSize });
}
