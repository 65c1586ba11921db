export { waitUntil, type WaitOptions } from './wait-until';
export { findFreePort } from './free-port';
export { startEmbeddedPostgres, type EmbeddedPostgresConfig, type RunningPostgres } from './embedded-postgres';
export {
  databaseConfigFromEnv,
  openDatabase,
  ensureDatabase,
  withDatabase,
  type OpenDatabase,
} from './database';
export { runMigrations, MIGRATION_LOCK_KEY, type Migration, type MigrationReport } from './migrations';
export { inTransaction } from './transaction';
export { runUntilSignal } from './run-until-signal';
export { withClient, isDatabaseUnavailable } from './pg-faults';
export {
  loadConfig,
  configurationTable,
  describeConfig,
  ConfigError,
  DEFAULT_EMBEDDED_PORT,
  DEFAULT_DATABASE_NAME,
  type DatabaseConfig,
  CONFIG_VARIABLES,
  LOG_LEVELS,
  PROJECTOR_MODES,
  LEDGER_ROLES,
  type LedgerConfig,
  type AuthConfig,
  type JwksConfig,
  type KafkaConfig,
  KAFKA_PERSONAL_FIELDS,
  KAFKA_SASL_MECHANISMS,
} from './config';
export { embeddedPassword, embeddedPasswordFile } from './embedded-password';
export { pdfFontLoader, startPdf, finishPdf, NoPdfFont, CJK_FONT_CANDIDATES, PDF_MARGIN, type PdfFont } from './pdf';
export { escapeHtml } from './html';
