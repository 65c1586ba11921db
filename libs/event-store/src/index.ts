export * from './port';
export { chainHash, verifyChain, hashedContent, GENESIS_HASH, type HashedContent } from './hash-chain';
export { toEpochMicros, formatEpochMicros } from './recorded-at';
export { isSameEvent, matchStoredAppend } from './same-content';
export { InMemoryEventStore, type InMemoryEventStoreOptions } from './in-memory';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres';
