import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { HASH_ALGORITHMS, type HashAlgorithm } from './hash-algorithms';

/**
 * The one configuration of the API, the projector and the CLI: every variable they read, its
 * default and what it does, checked in one pass. A bad value fails start-up with an error that
 * names every bad variable at once (`ConfigError`); docs/configuration.md's table is `ledger config
 * --markdown` (a test keeps the two equal).
 */

/**
 * Where the ledger's PostgreSQL comes from (ARCHITECTURE.md, "Where it runs"): an external server
 * when `DATABASE_URL` is set, otherwise an embedded one started by this process. An embedded
 * server's password is the one given, or the one generated when its cluster was created
 * (`embeddedPassword`).
 */
export type DatabaseConfig =
  | { kind: 'external'; url: string }
  | { kind: 'embedded'; dataDir: string; port: number; database: string; user: string; password?: string };

export const DEFAULT_EMBEDDED_PORT = 54329;
export const DEFAULT_DATABASE_NAME = 'cadre_ledger';

/** What a variable is for, shown in docs/configuration.md's table and by `ledger config`. */
interface Variable {
  name: string;
  /** The default as docs/configuration.md shows it (empty: unset by default). */
  shown: string;
  description: string;
  /** Secrets are never printed by `ledger config`. */
  secret?: boolean;
}

/**
 * A variable as declared, once: its name, the schema its text must pass, its default (`fallback`;
 * shown as itself unless `shown` says otherwise) and what it does. A variable whose default is
 * worked out from others (the cluster under the data dir, threads by cores) declares no fallback.
 */
interface Declaration {
  name: string;
  schema?: z.ZodType<unknown, z.ZodTypeDef, string>;
  fallback?: unknown;
  shown?: string;
  description: string;
  secret?: boolean;
}

/** A default as docs/configuration.md shows it: `on`/`off`, a list comma-separated, a value as written. */
const shownOf = (fallback: unknown): string => (typeof fallback === 'boolean' ? (fallback ? 'on' : 'off') : Array.isArray(fallback) ? fallback.join(',') : String(fallback ?? ''));

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const PROJECTOR_MODES = ['follow', 'kafka-group'] as const;
export const READ_MODEL_PROJECTORS = ['follow', 'kafka-group'] as const;

export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
/** The personal fields of the v2 event payloads (the contract spec holds this list to the contract's own). */
export const KAFKA_PERSONAL_FIELDS = ['name', 'note', 'reason', 'summary'] as const;

/** Everything the ledger's Kafka clients read (libs/messaging/src/kafka/client.ts builds kafkajs' options from it). */
export interface KafkaConfig {
  brokers: string[];
  groupId: string;
  clientId: string;
  publishV1: boolean;
  /** Personal payload fields to leave out of v2 events. */
  omitFields: string[];
  partitions: number;
  /** -1: the broker's default. */
  replicationFactor: number;
  statsIntervalSeconds: number;
  sasl?: { mechanism: (typeof KAFKA_SASL_MECHANISMS)[number]; username: string; password: string };
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
}
export const LEDGER_ROLES = ['admin', 'organization', 'assessment', 'discipline', 'auditor', 'dashboard'] as const;

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const trimmed = z.string().transform((s) => s.trim());
const whole = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  trimmed.refine((s) => /^\d+$/.test(s) && Number(s) >= min && Number(s) <= max, `must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ' on'}`).transform(Number);
const oneOf = <T extends string>(values: readonly T[]) => trimmed.refine((s) => (values as readonly string[]).includes(s), `must be one of ${values.join(', ')}`).transform((s) => s as T);
const onOff = trimmed.refine((s) => s === 'on' || s === 'off', 'must be on or off').transform((s) => s === 'on');
const list = trimmed.transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0));
const url = (protocols: string[]) =>
  trimmed.refine((s) => {
    try {
      return protocols.includes(new URL(s).protocol);
    } catch {
      return false;
    }
  }, `must be a URL (${protocols.join(' or ')})`);
/** `<vkey> <url>[, …]`: a witness's verifier key (name+keyid+base64) and its tlog-witness prefix. */
const witnessList = list.transform((entries, ctx) =>
  entries.map((entry) => {
    const [vkey, address, extra] = entry.split(/\s+/);
    let ok = extra === undefined && /^[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/.test(vkey ?? '');
    try {
      ok &&= ['http:', 'https:'].includes(new URL(address).protocol);
    } catch {
      ok = false;
    }
    if (!ok) ctx.addIssue({ code: 'custom', message: `"${entry}" is not "<vkey> <http(s) url>"` });
    return { vkey, url: address };
  }),
);
// A key name (signed-note): no spaces (\s covers every Unicode one), no plus, no control character.
// eslint-disable-next-line no-control-regex
const origin = trimmed.refine((s) => /^[^\s+\u0000-\u001f]+$/u.test(s), 'must be a key name: no spaces, no +');
const claimPath = trimmed.refine((s) => /^[A-Za-z0-9_:-]+(\.[A-Za-z0-9_:-]+)*$/.test(s), 'must be a claim name or a dotted path such as realm_access.roles');
const roleMap = trimmed.transform((s, ctx) => {
  const map: Record<string, string[]> = {};
  for (const pair of s.split(',').map((p) => p.trim()).filter((p) => p.length > 0)) {
    const [from, to, extra] = pair.split('=').map((x) => x.trim());
    const roles = (to ?? '').split('+').map((r) => r.trim());
    if (!from || extra !== undefined || roles.some((r) => !(LEDGER_ROLES as readonly string[]).includes(r))) {
      ctx.addIssue({ code: 'custom', message: `"${pair}" is not idp-role=ledger-role[+ledger-role] with ledger roles from ${LEDGER_ROLES.join(', ')}` });
      return z.NEVER;
    }
    map[from] = roles;
  }
  return map;
});

const DECLARED = [
  { name: 'PORT', schema: whole(0, 65535), fallback: 3000, description: 'HTTP port' },
  { name: 'HOST', schema: trimmed, fallback: '127.0.0.1', description: 'listen address; the image sets `0.0.0.0` (the ledger holds personal data: open it deliberately)' },
  { name: 'LEDGER_DATA_DIR', schema: trimmed, fallback: '.data', shown: './.data', description: 'embedded PostgreSQL (`<dir>/postgres`, its generated password in `<dir>/postgres.password`), `jwt-secret`, `admin-token`, `signing-key.pem`, `heads.ndjson`' },
  { name: 'DATABASE_URL', shown: 'unset: embedded PostgreSQL', description: 'an external PostgreSQL (events, idempotency keys, read models, transparency log, read audit)', secret: true },
  { name: 'DATABASE_POOL_SIZE', schema: whole(2, 500), fallback: 10, description: 'connections each process keeps to PostgreSQL' },
  { name: 'EMBEDDED_PG_PORT', schema: whole(1, 65535), fallback: DEFAULT_EMBEDDED_PORT, description: 'port of the embedded server (loopback only)' },
  { name: 'EMBEDDED_PG_DATA_DIR', shown: '`<LEDGER_DATA_DIR>/postgres`', description: 'its cluster directory (owned by the OS user `postgres` when run as root)' },
  { name: 'EMBEDDED_PG_DATABASE', schema: trimmed.refine((s) => /^[a-z_][a-z0-9_]{0,62}$/.test(s), 'must be a lower-case SQL name'), fallback: DEFAULT_DATABASE_NAME, description: 'the ledger\'s database on the embedded server' },
  { name: 'EMBEDDED_PG_USER', schema: trimmed.refine((s) => /^[a-z_][a-z0-9_]{0,62}$/.test(s), 'must be a lower-case SQL name'), fallback: 'postgres', description: 'its superuser, fixed when the cluster is first created' },
  { name: 'EMBEDDED_PG_PASSWORD', shown: 'generated', description: 'unset: a random password generated when the cluster is created and kept beside it (`<cluster dir>.password`, mode 0600); a cluster created with the old fixed password is moved to a generated one at its next start', secret: true },
  { name: 'EVENTSTORE_CONNECTION_STRING', shown: 'unset: events in PostgreSQL', description: 'events in EventStoreDB/KurrentDB (`esdb://host:2113?tls=false`, or the cluster\'s `esdb+discover://…`); keys, read models and the audit stay in PostgreSQL', secret: true },
  { name: 'KAFKA_BROKERS', schema: list.refine((l) => l.every((b) => /^[A-Za-z0-9.-]+:\d{1,5}$/.test(b)), 'must be host:port[,host:port…]'), fallback: [], shown: 'unset: no Kafka', description: 'comma-separated brokers: publish every event, every eligibility change and every signed head' },
  { name: 'KAFKA_GROUP_ID', schema: trimmed, fallback: 'cadre-ledger-projectors', description: 'the consumer group of `PROJECTOR_MODE=kafka-group` replicas' },
  { name: 'KAFKA_CLIENT_ID', schema: trimmed, fallback: 'cadre-ledger', description: 'the client id the ledger\'s producers, consumers and admin client give the brokers' },
  { name: 'KAFKA_PUBLISH_V1', schema: onOff, fallback: true, description: '`off` stops publishing the deprecated v1 topics (`cadre-ledger.events.v1`, `cadre-ledger.eligibility.v1`); v2 and stats are always published' },
  { name: 'KAFKA_OMIT_FIELDS', shown: 'unset: every field', description: 'personal fields left out of the v2 events (`personal` for all of them, or some of `name`, `reason`, `summary`, `note`); each message lists what it left out in `omitted`' },
  { name: 'KAFKA_TOPIC_PARTITIONS', schema: whole(1, 10_000), fallback: 6, description: 'partitions of the topics the ledger creates (the events topics: as many consumer-group replicas can project)' },
  { name: 'KAFKA_TOPIC_REPLICATION', schema: whole(1, 100), fallback: -1, shown: 'unset: the broker\'s default', description: 'replication factor of the topics the ledger creates (3 in production)' },
  { name: 'KAFKA_STATS_INTERVAL_SECONDS', schema: whole(1, 86_400), fallback: 60, description: 'how often the stats topic is brought up to date (only changed figures are published)' },
  { name: 'KAFKA_SASL_MECHANISM', shown: 'unset: no SASL', description: '`plain`, `scram-sha-256` or `scram-sha-512` (with KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD)' },
  { name: 'KAFKA_SASL_USERNAME', shown: 'unset', description: 'the SASL user' },
  { name: 'KAFKA_SASL_PASSWORD', shown: 'unset', description: 'the SASL password', secret: true },
  { name: 'KAFKA_TLS', schema: onOff, fallback: false, description: '`on`: connect to the brokers with TLS (on by itself when a KAFKA_TLS_* file is given)' },
  { name: 'KAFKA_TLS_CA_FILE', shown: 'unset: the system\'s CAs', description: 'PEM of the CA(s) the brokers\' certificates are checked against' },
  { name: 'KAFKA_TLS_CERT_FILE', shown: 'unset', description: 'client certificate (PEM) for mutual TLS, with KAFKA_TLS_KEY_FILE' },
  { name: 'KAFKA_TLS_KEY_FILE', shown: 'unset', description: 'its private key (PEM)', secret: true },
  { name: 'LEDGER_API_PROJECTOR', schema: oneOf(['on', 'off'] as const), fallback: 'on', description: '`on`: the API process also runs the projector, clock, Kafka relay and head signing (one machine); `off`: it only answers requests, and a `start:projector` service in `follow` mode does the rest (a scaled-out site)' },
  { name: 'LEDGER_PROJECTOR_PORT', schema: whole(0, 65535), fallback: 3100, description: 'the projector service\'s operations port: `/health/live`, `/health` (readiness), `/metrics` (on `HOST`); `0` picks a free one' },
  { name: 'LEDGER_READ_MODELS_BY', schema: oneOf(READ_MODEL_PROJECTORS), fallback: 'follow', description: 'who projects the read models: `follow` (the process that follows the store: `npm start`, or `start:projector` in follow mode) or `kafka-group` (the `PROJECTOR_MODE=kafka-group` replicas; the follow process then only relays to Kafka, runs the clock and signs the heads)' },
  { name: 'PROJECTOR_MODE', schema: oneOf(PROJECTOR_MODES), fallback: 'follow', description: 'the projector service (`start:projector`): `follow` the store (read models, clock, relay), or `kafka-group` (a consumer-group replica)' },
  { name: 'LEDGER_JWT_SECRET', shown: 'unset: generated into the data dir', description: 'HS256 secret. When unset and no JWKS is configured, one is generated once into `<dir>/jwt-secret` and a 30-day admin token is written to `<dir>/admin-token` at every start', secret: true },
  { name: 'LEDGER_JWKS_URL', shown: 'unset', description: 'an identity provider\'s JWKS (e.g. Keycloak `…/realms/R/protocol/openid-connect/certs`): RS256/ES256 tokens are verified against its keys, chosen by `kid` (rotation needs no restart)' },
  { name: 'LEDGER_JWT_ISSUER', shown: 'unset', description: 'the `iss` every JWKS-signed token must carry (required with `LEDGER_JWKS_URL`)' },
  { name: 'LEDGER_JWT_AUDIENCE', shown: 'unset', description: 'comma-separated: a JWKS-signed token\'s `aud` must name one of these (required with `LEDGER_JWKS_URL`)' },
  { name: 'LEDGER_JWT_ALGORITHMS', schema: list.refine((l) => l.length > 0 && l.every((a) => ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'].includes(a)), 'must list asymmetric algorithms such as RS256,ES256'), fallback: ['RS256', 'ES256'], description: 'the asymmetric algorithms accepted from the JWKS' },
  { name: 'LEDGER_JWT_ROLES_CLAIM', schema: claimPath, fallback: 'roles', description: 'where a JWKS-signed token carries its roles: a dotted path (`realm_access.roles`, `resource_access.cadre-ledger.roles`)' },
  { name: 'LEDGER_JWT_UNITS_CLAIM', schema: claimPath, fallback: 'units', description: 'where it carries its unit ids (an array, or one space- or comma-separated string; `*` for every unit)' },
  { name: 'LEDGER_JWT_SUBJECT_CLAIM', schema: claimPath, fallback: 'sub', description: 'the claim stored as `actor` on every event (e.g. `preferred_username`)' },
  { name: 'LEDGER_JWT_ROLE_MAP', schema: roleMap, fallback: {}, shown: 'unset: roles taken as named', description: 'IdP role → ledger roles, e.g. `zzb-ganbu=organization,jiwei=discipline,shenji=auditor` (several ledger roles joined with `+`); with a map, unmapped IdP roles grant nothing' },
  { name: 'LEDGER_JWT_MAX_LIFETIME_DAYS', schema: whole(1, 3650), fallback: 31, description: 'a token whose `exp` lies further ahead than this is refused (401), whoever signed it' },
  { name: 'LEDGER_RULESETS_DIR', shown: 'libs/policy/rulesets', description: 'rule sets to load instead of the shipped ones' },
  { name: 'LOG_LEVEL', schema: oneOf(LOG_LEVELS), fallback: 'info', description: `pino level (${LOG_LEVELS.join(', ')}): JSON logs, one request id per request` },
  { name: 'LEDGER_MAX_STREAM_EVENTS', schema: whole(1), fallback: 20_000, description: 'the most events one stream holds; a command on a full stream is a 422 `stream-full` and appends nothing' },
  { name: 'LEDGER_STREAM_CACHE_EVENTS', schema: whole(0, 50_000_000), fallback: 200_000, description: 'events of recently read streams kept in memory (about 750 bytes each), so that a read fetches only what was appended since; `0` keeps none' },
  { name: 'LEDGER_EARLIEST_DATE', schema: trimmed.refine((s) => DATE.test(s), 'must be a YYYY-MM-DD date'), fallback: '1900-01-01', description: 'the earliest `effectiveAt` accepted (422 `effective-date-too-early` before it)' },
  { name: 'LEDGER_EVALUATION_THREADS', shown: '2 (or fewer cores)', description: 'worker threads for histories of 5,000 facts or more; `0` evaluates everything on the event loop' },
  { name: 'LEDGER_IDEMPOTENCY_LEASE_SECONDS', schema: whole(1), fallback: 30, description: 'how long a key in progress is held before a retry takes it over' },
  { name: 'LEDGER_QUOTA_CLAIM_LEASE_SECONDS', schema: whole(1), fallback: 600, description: 'how long an excellence-quota claim waits for its review before a unit at its limit releases it as left behind' },
  { name: 'LEDGER_SMALL_COUNT_THRESHOLD', schema: whole(0), fallback: 5, description: 'for the `dashboard` role, `/v1/stats` figures below this are `null` and listed in `suppressed`' },
  { name: 'LEDGER_PDF_FONT', shown: 'unset: the first CJK font found of Debian\'s fonts-noto-cjk (serif, then sans), fonts-wqy-microhei, fonts-wqy-zenhei', description: 'the font embedded in PDF dossiers: a TrueType/OpenType file or collection, `path#PostScriptName` to pick one face of a collection' },
  { name: 'LEDGER_BODY_TIMEOUT_MS', schema: whole(100), fallback: 10_000, description: 'a request body must arrive within this (408 otherwise)' },
  { name: 'LEDGER_MAX_CONNECTIONS', schema: whole(1), fallback: 1000, description: 'open HTTP connections beyond this are refused' },
  { name: 'LEDGER_SHUTDOWN_TIMEOUT_SECONDS', schema: whole(1, 3600), fallback: 25, description: 'on SIGTERM: how long requests in flight and the projector\'s batch may take to finish before the process exits anyway' },
  { name: 'LEDGER_HASH_ALGORITHM', shown: 'sha256', description: '`sha256` or `sm3` (国密): the chain, leaf and tree hash of a **new** store; an existing store keeps its own and refuses another' },
  { name: 'LEDGER_SIGNING_KEY', shown: 'unset', description: 'the PKCS#8 PEM that signs tree heads (Ed25519)', secret: true },
  { name: 'LEDGER_SIGNING_KEY_FILE', shown: 'unset: `<dir>/signing-key.pem`, generated once', description: 'the same as a file; in production keep it off the database host (a secret mount)' },
  { name: 'LEDGER_HEAD_INTERVAL_SECONDS', schema: whole(1), fallback: 10, description: 'a head is signed at most this long after any append' },
  { name: 'LEDGER_HEADS_FILE', shown: '`<dir>/heads.ndjson`', description: 'every signed head appended as one JSON line (`off`: none); keep a copy off the host for `ledger verify --digest`' },
  { name: 'LEDGER_LOG_ORIGIN', shown: 'unset: `cadre-ledger/<key id>`', description: 'the origin line of the C2SP checkpoints (and the key name of their signature): unique per deployment and fixed once witnesses know it, e.g. `zzb.sx.example/cadre-ledger`' },
  { name: 'LEDGER_WITNESSES', schema: witnessList, fallback: [], shown: 'unset: none', description: 'witnesses asked to cosign every checkpoint: comma-separated `<vkey> <url>` pairs (`ledger witness serve` prints its vkey; the url is its tlog-witness prefix); SHA-256 stores only (see docs/witnesses.md)' },
  { name: 'LEDGER_WITNESS_RETRY_SECONDS', schema: whole(1, 86_400), fallback: 30, description: 'a witness found down is asked again after this long (writes never wait for it)' },
  { name: 'LEDGER_CHECKPOINTS_FILE', shown: '`<dir>/checkpoints.txt`', description: 'every checkpoint appended as a signed note with the cosignatures gathered (`off`: none); keep a copy off the host for `ledger verify --checkpoint`' },
  { name: 'LEDGER_IMPORT_DIR', shown: '`<LEDGER_DATA_DIR>/imports`', description: 'where uploads wait for their import job (the API\'s own, one per process: emptied at start, each file removed when its job ends)' },
  { name: 'LEDGER_IMPORT_MAX_MB', schema: whole(1, 10_240), fallback: 50, description: 'the largest spreadsheet taken (`POST /v1/imports`: a bigger upload is a 413; `ledger import`: refused)' },
  { name: 'LEDGER_IMPORT_MAX_ENTRY_MB', schema: whole(1, 65_536), fallback: 256, description: 'an .xlsx part (a worksheet, the shared strings) may inflate to at most this, as its archive\'s directory declares before anything is inflated' },
  { name: 'LEDGER_IMPORT_MAX_ARCHIVE_MB', schema: whole(1, 65_536), fallback: 512, description: 'all parts of an .xlsx together, inflated' },
  { name: 'LEDGER_IMPORT_MAX_RATIO', schema: whole(2, 100_000), fallback: 100, description: 'an .xlsx part larger than 1 MB may inflate to at most this many times its compressed size (a zip bomb is refused before it is inflated)' },
  { name: 'LEDGER_IMPORT_MAX_ROWS', schema: whole(1, 100_000_000), fallback: 500_000, shown: '500000', description: 'data rows taken from one spreadsheet' },
  { name: 'LEDGER_IMPORT_MAX_PROBLEMS', schema: whole(1, 1_000_000), fallback: 1000, description: 'problems listed in an import\'s report (the first ones; the rest are counted)' },
  { name: 'LEDGER_IMPORT_MEMORY_MB', schema: whole(64, 65_536), fallback: 1024, description: 'heap of the child process each spreadsheet import runs in: a file that needs more ends that process (the job fails with the reason), never the API' },
  { name: 'LEDGER_ACTOR', shown: '`cli:<OS user>`', description: 'the CLI\'s name in the read audit and on what it appends' },
] as const satisfies readonly Declaration[];

/** Every variable the API, the projector and the CLI read, in the order docs/configuration.md lists them. */
export const CONFIG_VARIABLES: readonly Variable[] = DECLARED.map((v: Declaration) => ({
  name: v.name,
  shown: v.shown ?? shownOf(v.fallback),
  description: v.description,
  ...(v.secret ? { secret: true } : {}),
}));

type WithDefault = Extract<(typeof DECLARED)[number], { schema: unknown; fallback: unknown }>;
/** The value of a declared variable: its schema's output (its default is one). */
type ValueOf<N extends WithDefault['name']> = z.output<Extract<WithDefault, { name: N }>['schema']>;
const DECLARATION = new Map<string, Declaration>(DECLARED.map((v: Declaration) => [v.name, v]));

export interface JwksConfig {
  url: string;
  issuer: string;
  audience: string[];
  algorithms: string[];
}

export interface AuthConfig {
  /** HS256 secret; when absent and no JWKS is configured, the API generates one into the data dir. */
  jwtSecret?: string;
  jwks?: JwksConfig;
  rolesClaim: string;
  unitsClaim: string;
  subjectClaim: string;
  /** IdP role → ledger roles; absent: a token's roles are taken as named. */
  roleMap?: Record<string, string[]>;
  /** The furthest ahead a token's `exp` may lie (LEDGER_JWT_MAX_LIFETIME_DAYS); absent: 31 days. */
  maxLifetimeSeconds?: number;
}

export interface LedgerConfig {
  dataDir: string;
  http: { host: string; port: number; projectorPort: number; maxConnections: number; bodyTimeoutMs: number; shutdownTimeoutMs: number };
  database: DatabaseConfig;
  databasePoolSize: number;
  eventStoreConnectionString?: string;
  hashAlgorithm?: HashAlgorithm;
  kafka: KafkaConfig;
  projectorMode: (typeof PROJECTOR_MODES)[number];
  /** Who projects the read models (LEDGER_READ_MODELS_BY). */
  readModelsBy: (typeof READ_MODEL_PROJECTORS)[number];
  /** LEDGER_API_PROJECTOR: the API process runs projector, clock, relay and head signing too. */
  apiProjector: boolean;
  auth: AuthConfig;
  ruleSetsDir?: string;
  logLevel: (typeof LOG_LEVELS)[number];
  evaluationThreads: number;
  api: { idempotencyLeaseSeconds: number; smallCountThreshold: number; bodyTimeoutMs: number; pdfFont?: string };
  signing: { keyPem?: string; keyFile?: string; headIntervalSeconds: number; headsFile?: string };
  /** The heads as C2SP checkpoints, and the witnesses asked to cosign them. */
  witnessing: { origin?: string; witnesses: { vkey: string; url: string }[]; retrySeconds: number; checkpointsFile?: string };
  ledger: { maxStreamEvents: number; earliestDate: string; quotaClaimLeaseMs: number; streamCacheEvents: number };
  /** Spreadsheet imports: where uploads wait, the child process's heap, the bounds of one file (libs/intake/src/limits.ts). */
  imports: {
    dir: string;
    memoryMb: number;
    limits: { maxFileBytes: number; maxEntryBytes: number; maxArchiveBytes: number; maxCompressionRatio: number; maxRows: number; maxProblems: number };
  };
  actor?: string;
  /** `LEDGER_*` variables set that no part of the ledger reads (a typo?), each with a likely meant name. */
  unknownVariables: string[];
}

/** Every bad variable of an environment, each named with what it must be. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`the configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const MB = 1024 * 1024;

/**
 * Reads the configuration from `env` (the process environment by default). Pure apart from
 * `availableParallelism()` and `path.resolve` against the working directory: files (secrets, the
 * embedded server's password) are read where they are used.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const problems: string[] = [];
  const get = <T>(name: string, schema: z.ZodType<T, z.ZodTypeDef, string>, fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    problems.push(`${name} ${parsed.error.issues.map((i) => i.message).join('; ')}, got ${JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw)}`);
    return fallback;
  };
  const optional = <T>(name: string, schema: z.ZodType<T, z.ZodTypeDef, string>): T | undefined => get<T | undefined>(name, schema, undefined);
  /** A declared variable, by its declaration's schema and default. */
  const read = <N extends WithDefault['name']>(name: N): ValueOf<N> => {
    const { schema, fallback } = DECLARATION.get(name)!;
    return get(name, schema!, fallback) as ValueOf<N>;
  };

  const kafkaSasl = (): KafkaConfig['sasl'] => {
    const mechanism = optional('KAFKA_SASL_MECHANISM', oneOf(KAFKA_SASL_MECHANISMS));
    const username = optional('KAFKA_SASL_USERNAME', trimmed);
    const password = optional('KAFKA_SASL_PASSWORD', z.string());
    if (!mechanism) {
      if (username || password) problems.push('KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD are set without KAFKA_SASL_MECHANISM (plain, scram-sha-256, scram-sha-512)');
      return undefined;
    }
    if (!username || !password) {
      problems.push(`KAFKA_SASL_MECHANISM=${mechanism} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`);
      return undefined;
    }
    return { mechanism, username, password };
  };
  const kafkaTls = (): KafkaConfig['tls'] => {
    const file = (name: string) => optional(name, trimmed.refine((p) => existsSync(p), 'must name a file that exists').transform((p) => resolve(p)));
    const files = { caFile: file('KAFKA_TLS_CA_FILE'), certFile: file('KAFKA_TLS_CERT_FILE'), keyFile: file('KAFKA_TLS_KEY_FILE') };
    if (Boolean(files.certFile) !== Boolean(files.keyFile)) problems.push('KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE go together (mutual TLS)');
    const on = read('KAFKA_TLS') || Object.values(files).some(Boolean);
    return on ? Object.fromEntries(Object.entries(files).filter(([, v]) => v !== undefined)) : undefined;
  };

  const dataDir = resolve(read('LEDGER_DATA_DIR'));
  const databaseUrl = optional('DATABASE_URL', url(['postgres:', 'postgresql:']));
  const embeddedDataDir = resolve(get('EMBEDDED_PG_DATA_DIR', trimmed, join(dataDir, 'postgres')));
  const database: DatabaseConfig = databaseUrl
    ? { kind: 'external', url: databaseUrl }
    : {
        kind: 'embedded',
        dataDir: embeddedDataDir,
        port: read('EMBEDDED_PG_PORT'),
        database: read('EMBEDDED_PG_DATABASE'),
        user: read('EMBEDDED_PG_USER'),
        ...(env.EMBEDDED_PG_PASSWORD?.trim() ? { password: env.EMBEDDED_PG_PASSWORD.trim() } : {}),
      };

  const jwksUrl = optional('LEDGER_JWKS_URL', url(['https:', 'http:']));
  const issuer = optional('LEDGER_JWT_ISSUER', trimmed);
  const audience = optional('LEDGER_JWT_AUDIENCE', list);
  const algorithms = read('LEDGER_JWT_ALGORITHMS');
  if (jwksUrl && !issuer) problems.push('LEDGER_JWT_ISSUER is required with LEDGER_JWKS_URL: tokens from another issuer must be refused');
  if (jwksUrl && (!audience || audience.length === 0)) problems.push('LEDGER_JWT_AUDIENCE is required with LEDGER_JWKS_URL: tokens meant for another service must be refused');
  const jwtSecret = optional('LEDGER_JWT_SECRET', trimmed.refine((s) => s.length >= 32, 'must be at least 32 characters (HS256 needs a 256-bit key)'));

  const config: LedgerConfig = {
    dataDir,
    http: {
      host: read('HOST'),
      port: read('PORT'),
      projectorPort: read('LEDGER_PROJECTOR_PORT'),
      maxConnections: read('LEDGER_MAX_CONNECTIONS'),
      bodyTimeoutMs: read('LEDGER_BODY_TIMEOUT_MS'),
      shutdownTimeoutMs: read('LEDGER_SHUTDOWN_TIMEOUT_SECONDS') * 1000,
    },
    database,
    databasePoolSize: read('DATABASE_POOL_SIZE'),
    // Not a WHATWG URL: a cluster's string lists several host:port pairs.
    eventStoreConnectionString: optional('EVENTSTORE_CONNECTION_STRING', trimmed.refine((s) => /^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover):\/\/\S+$/.test(s), 'must be an esdb://, esdb+discover://, kurrentdb:// or kurrentdb+discover:// connection string')),
    hashAlgorithm: optional('LEDGER_HASH_ALGORITHM', oneOf(HASH_ALGORITHMS)),
    kafka: {
      brokers: read('KAFKA_BROKERS'),
      groupId: read('KAFKA_GROUP_ID'),
      clientId: read('KAFKA_CLIENT_ID'),
      publishV1: read('KAFKA_PUBLISH_V1'),
      omitFields: get(
        'KAFKA_OMIT_FIELDS',
        list
          .refine((l) => l.every((f) => f === 'personal' || (KAFKA_PERSONAL_FIELDS as readonly string[]).includes(f)), `must be personal, or some of ${KAFKA_PERSONAL_FIELDS.join(', ')}`)
          .transform((l) => (l.includes('personal') ? [...KAFKA_PERSONAL_FIELDS] : l)),
        [],
      ),
      partitions: read('KAFKA_TOPIC_PARTITIONS'),
      replicationFactor: read('KAFKA_TOPIC_REPLICATION'),
      statsIntervalSeconds: read('KAFKA_STATS_INTERVAL_SECONDS'),
      sasl: kafkaSasl(),
      tls: kafkaTls(),
    },
    projectorMode: read('PROJECTOR_MODE'),
    readModelsBy: read('LEDGER_READ_MODELS_BY'),
    apiProjector: read('LEDGER_API_PROJECTOR') === 'on',
    auth: {
      ...(jwtSecret ? { jwtSecret } : {}),
      ...(jwksUrl && issuer && audience ? { jwks: { url: jwksUrl, issuer, audience, algorithms } } : {}),
      rolesClaim: read('LEDGER_JWT_ROLES_CLAIM'),
      unitsClaim: read('LEDGER_JWT_UNITS_CLAIM'),
      subjectClaim: read('LEDGER_JWT_SUBJECT_CLAIM'),
      ...(env.LEDGER_JWT_ROLE_MAP?.trim() ? { roleMap: read('LEDGER_JWT_ROLE_MAP') } : {}),
      maxLifetimeSeconds: read('LEDGER_JWT_MAX_LIFETIME_DAYS') * 86_400,
    },
    ruleSetsDir: optional('LEDGER_RULESETS_DIR', trimmed.transform((s) => resolve(s))),
    logLevel: read('LOG_LEVEL'),
    evaluationThreads: get('LEDGER_EVALUATION_THREADS', whole(0, 256), Math.min(2, availableParallelism())),
    api: {
      idempotencyLeaseSeconds: read('LEDGER_IDEMPOTENCY_LEASE_SECONDS'),
      smallCountThreshold: read('LEDGER_SMALL_COUNT_THRESHOLD'),
      bodyTimeoutMs: read('LEDGER_BODY_TIMEOUT_MS'),
      pdfFont: optional('LEDGER_PDF_FONT', trimmed.refine((s) => existsSync(s.replace(/#[^/#]*$/, '')), 'must name a font file that exists (path, or path#PostScriptName)')),
    },
    signing: {
      keyPem: optional('LEDGER_SIGNING_KEY', trimmed.refine((s) => s.includes('BEGIN PRIVATE KEY'), 'must be a PKCS#8 PEM (-----BEGIN PRIVATE KEY-----)')),
      keyFile: optional('LEDGER_SIGNING_KEY_FILE', trimmed.transform((s) => resolve(s))),
      headIntervalSeconds: read('LEDGER_HEAD_INTERVAL_SECONDS'),
      headsFile: headsFile(env.LEDGER_HEADS_FILE, dataDir),
    },
    witnessing: {
      origin: optional('LEDGER_LOG_ORIGIN', origin),
      witnesses: read('LEDGER_WITNESSES'),
      retrySeconds: read('LEDGER_WITNESS_RETRY_SECONDS'),
      checkpointsFile: checkpointsFile(env.LEDGER_CHECKPOINTS_FILE, dataDir),
    },
    ledger: {
      maxStreamEvents: read('LEDGER_MAX_STREAM_EVENTS'),
      earliestDate: read('LEDGER_EARLIEST_DATE'),
      quotaClaimLeaseMs: read('LEDGER_QUOTA_CLAIM_LEASE_SECONDS') * 1000,
      streamCacheEvents: read('LEDGER_STREAM_CACHE_EVENTS'),
    },
    imports: {
      dir: resolve(get('LEDGER_IMPORT_DIR', trimmed, join(dataDir, 'imports'))),
      memoryMb: read('LEDGER_IMPORT_MEMORY_MB'),
      limits: {
        maxFileBytes: read('LEDGER_IMPORT_MAX_MB') * MB,
        maxEntryBytes: read('LEDGER_IMPORT_MAX_ENTRY_MB') * MB,
        maxArchiveBytes: read('LEDGER_IMPORT_MAX_ARCHIVE_MB') * MB,
        maxCompressionRatio: read('LEDGER_IMPORT_MAX_RATIO'),
        maxRows: read('LEDGER_IMPORT_MAX_ROWS'),
        maxProblems: read('LEDGER_IMPORT_MAX_PROBLEMS'),
      },
    },
    actor: optional('LEDGER_ACTOR', trimmed),
    unknownVariables: unknownVariables(env),
  };
  if (config.signing.keyPem && config.signing.keyFile) problems.push('LEDGER_SIGNING_KEY and LEDGER_SIGNING_KEY_FILE are both set: give the key one way');
  if (config.projectorMode === 'kafka-group' && config.kafka.brokers.length === 0) problems.push('PROJECTOR_MODE=kafka-group needs KAFKA_BROKERS');
  if (config.readModelsBy === 'kafka-group' && config.kafka.brokers.length === 0) problems.push('LEDGER_READ_MODELS_BY=kafka-group needs KAFKA_BROKERS (the replicas read the events from Kafka)');
  if (config.hashAlgorithm === 'sm3' && config.witnessing.witnesses.length > 0) problems.push('LEDGER_WITNESSES is set for a store made with LEDGER_HASH_ALGORITHM=sm3: witnesses cosign C2SP checkpoints, which commit to SHA-256 trees only (docs/witnesses.md)');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function headsFile(value: string | undefined, dataDir: string): string | undefined {
  const text = value?.trim();
  if (text === 'off') return undefined;
  return text ? resolve(text) : join(dataDir, 'heads.ndjson');
}

function checkpointsFile(value: string | undefined, dataDir: string): string | undefined {
  const text = value?.trim();
  if (text === 'off') return undefined;
  return text ? resolve(text) : join(dataDir, 'checkpoints.txt');
}

const KNOWN = new Set(CONFIG_VARIABLES.map((v) => v.name));

/** `LEDGER_*` and `EMBEDDED_PG_*` names nobody reads, with the closest known name. */
function unknownVariables(env: NodeJS.ProcessEnv): string[] {
  return Object.keys(env)
    .filter((name) => (name.startsWith('LEDGER_') || name.startsWith('EMBEDDED_PG_')) && !KNOWN.has(name) && !name.startsWith('LEDGER_TEST_') && name !== 'LEDGER_BIN')
    .sort()
    .map((name) => {
      const near = [...KNOWN].map((known) => ({ known, d: distance(name, known) })).sort((a, b) => a.d - b.d)[0];
      return near && near.d <= 3 ? `${name} (did you mean ${near.known}?)` : name;
    });
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/** The configuration table of docs/configuration.md (`ledger config --markdown`). */
export function configurationTable(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const shown = (v: Variable) => (v.shown.includes('`') || v.shown.includes(' ') ? v.shown : `\`${v.shown}\``);
  return ['| variable | default | effect |', '|---|---|---|', ...CONFIG_VARIABLES.map((v) => `| \`${v.name}\` | ${cell(shown(v))} | ${cell(v.description)} |`)].join('\n');
}

/** The configuration as `ledger config` shows it: every variable's effective value, secrets hidden. */
export function describeConfig(env: NodeJS.ProcessEnv): { name: string; value: string; source: 'set' | 'default' }[] {
  return CONFIG_VARIABLES.map((v) => {
    const raw = env[v.name]?.trim();
    if (!raw) return { name: v.name, value: v.shown, source: 'default' as const };
    return { name: v.name, value: v.secret ? '(set, hidden)' : raw, source: 'set' as const };
  });
}

