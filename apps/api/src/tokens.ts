/** Injection tokens of the API's dependencies (see app.module.ts). */
export const LEDGER = Symbol('Ledger');
export const EVENT_STORE = Symbol('EventStore');
export const PG_POOL = Symbol('PgPool');
export const TOKEN_VERIFIER = Symbol('TokenVerifier');
export const METRICS = Symbol('Metrics');
export const API_OPTIONS = Symbol('ApiOptions');
export const RULE_BOOK = Symbol('RuleBook');

/** Operational settings of the HTTP layer (configuration, with defaults in app.ts). */
export interface ApiOptions {
  /** How long an `Idempotency-Key` in progress is held before a retry may take it over. */
  idempotencyLeaseSeconds: number;
  /** For the dashboard role, counts below this are `null` (suppressed). */
  smallCountThreshold: number;
  /** Full-store verifications that may run at once; the rest wait in a queue. */
  maxConcurrentVerifications: number;
  /** Verifications that may wait; beyond that a 503 with Retry-After. */
  maxQueuedVerifications: number;
  /** A request body must arrive within this long (408 otherwise). */
  bodyTimeoutMs: number;
  /** The CJK font PDF dossiers embed (LEDGER_PDF_FONT: `path` or `path#PostScriptName`); unset: the first Debian CJK font found. */
  pdfFont?: string;
}

export const AUDIT = Symbol('Audit');

/** The read audit and the trust anchor of the tree heads. */
export interface AuditDependencies {
  accessLog: import('@cadre-ledger/audit').AccessLog;
  /** The public key tree heads are signed with; null when this deployment signs none. */
  publicKey: import('node:crypto').KeyObject | null;
  /** The origin of the checkpoints, the key name of their signature; null when no key signs. */
  logOrigin: string | null;
}

export const IMPORTS = Symbol('Imports');

/** Spreadsheet imports (POST /v1/imports): where uploads wait, and the child process each job runs in. */
export interface ImportSettings {
  /** The ledger's own directory of uploads (LEDGER_IMPORT_DIR): emptied at start, each file removed when its job ends. */
  dir: string;
  /** The child process's heap (LEDGER_IMPORT_MEMORY_MB). */
  memoryMb: number;
  limits: import('@cadre-ledger/intake').IntakeLimits;
  /** Where the child finds the store. */
  connection: import('@cadre-ledger/intake').IntakeConnection;
}
