export * from './port';
export { chainHash, chainHashOfCanonical, verifyChain, canonicalContent, digestHex, formatFor, algorithmOf, isHashFormat, GENESIS_HASH, HASH_ALGORITHMS, HASH_FORMATS, type HashedContent, type HashAlgorithm, type HashFormat } from './hash-chain';
export { toEpochMicros, formatEpochMicros } from './recorded-at';
export { isSameEvent, matchStoredAppend } from './same-content';
export { InMemoryEventStore, type InMemoryEventStoreOptions } from './in-memory';
export {
  PostgresEventStore,
  eventStoreMigrations,
  EVENT_STORE_MIGRATIONS_NAMESPACE,
  MAX_EVENTS_PER_APPEND,
  EVENTS_CHANNEL,
  RestoreRefused,
  type PostgresEventStoreOptions,
  type RestoreItem,
  type RestoreReport,
} from './postgres';
export { openEventStore } from './open';
export { isStoreUnavailable } from './unavailable';
export { followAll, followWithCheckpoint, type Follower, type FollowOptions, type CheckpointedWork } from './follow';
