export { waitUntil, type WaitOptions } from './wait-until';
export { findFreePort } from './free-port';
export { startEmbeddedPostgres, type EmbeddedPostgresConfig, type RunningPostgres } from './embedded-postgres';
export {
  databaseConfigFromEnv,
  openDatabase,
  ensureDatabase,
  withDatabase,
  DEFAULT_EMBEDDED_PORT,
  DEFAULT_EMBEDDED_DATA_DIR,
  DEFAULT_DATABASE_NAME,
  type DatabaseConfig,
  type OpenDatabase,
} from './database';
export { runMigrations, MIGRATION_LOCK_KEY, type Migration, type MigrationReport } from './migrations';
export { inTransaction } from './transaction';
export { runUntilSignal } from './run-until-signal';
export { withClient, isDatabaseUnavailable } from './pg-faults';
