import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_DATABASE_NAME, DEFAULT_EMBEDDED_PORT, type DatabaseConfig } from './database';

/**
 * The one configuration of the API, the projector and the CLI: every variable they read, its
 * default and what it does, checked in one pass. A bad value fails start-up with an error that
 * names every bad variable at once (`ConfigError`); the README's table is `ledger config
 * --markdown` (a test keeps the two equal).
 */

/** What a variable is for, shown in the README's table and by `ledger config`. */
interface Variable {
  name: string;
  /** The default as the README shows it (empty: unset by default). */
  shown: string;
  description: string;
  /** Secrets are never printed by `ledger config`. */
  secret?: boolean;
}

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
export const HASH_ALGORITHM_NAMES = ['sha256', 'sm3'] as const;
export const LEDGER_ROLES = ['admin', 'organization', 'assessment', 'discipline', 'auditor', 'dashboard'] as const;

export const CONFIG_VARIABLES: readonly Variable[] = [
  { name: 'PORT', shown: '3000', description: 'HTTP port' },
  { name: 'HOST', shown: '127.0.0.1', description: 'listen address; the image sets `0.0.0.0` (the ledger holds personal data: open it deliberately)' },
  { name: 'LEDGER_DATA_DIR', shown: './.data', description: 'embedded PostgreSQL (`<dir>/postgres`, its generated password in `<dir>/postgres.password`), `jwt-secret`, `admin-token`, `signing-key.pem`, `heads.ndjson`' },
  { name: 'DATABASE_URL', shown: 'unset: embedded PostgreSQL', description: 'an external PostgreSQL (events, idempotency keys, read models, transparency log, read audit)', secret: true },
  { name: 'DATABASE_POOL_SIZE', shown: '10', description: 'connections each process keeps to PostgreSQL' },
  { name: 'EMBEDDED_PG_PORT', shown: '54329', description: 'port of the embedded server (loopback only)' },
  { name: 'EMBEDDED_PG_DATA_DIR', shown: '`<LEDGER_DATA_DIR>/postgres`', description: 'its cluster directory (owned by the OS user `postgres` when run as root)' },
  { name: 'EMBEDDED_PG_DATABASE', shown: 'cadre_ledger', description: 'the ledger\'s database on the embedded server' },
  { name: 'EMBEDDED_PG_USER', shown: 'postgres', description: 'its superuser, fixed when the cluster is first created' },
  { name: 'EMBEDDED_PG_PASSWORD', shown: 'generated', description: 'unset: a random password generated when the cluster is created and kept beside it (`<cluster dir>.password`, mode 0600); a cluster created with the old fixed password is moved to a generated one at its next start', secret: true },
  { name: 'EVENTSTORE_CONNECTION_STRING', shown: 'unset: events in PostgreSQL', description: 'events in EventStoreDB/KurrentDB (`esdb://host:2113?tls=false`, or the cluster\'s `esdb+discover://…`); keys, read models and the audit stay in PostgreSQL', secret: true },
  { name: 'KAFKA_BROKERS', shown: 'unset: no Kafka', description: 'comma-separated brokers: publish every event, every eligibility change and every signed head' },
  { name: 'KAFKA_GROUP_ID', shown: 'cadre-ledger-projectors', description: 'the consumer group of `PROJECTOR_MODE=kafka-group` replicas' },
  { name: 'KAFKA_CLIENT_ID', shown: 'cadre-ledger', description: 'the client id the ledger\'s producers, consumers and admin client give the brokers' },
  { name: 'KAFKA_PUBLISH_V1', shown: 'on', description: '`off` stops publishing the deprecated v1 topics (`cadre-ledger.events.v1`, `cadre-ledger.eligibility.v1`); v2 and stats are always published' },
  { name: 'KAFKA_OMIT_FIELDS', shown: 'unset: every field', description: 'personal fields left out of the v2 events (`personal` for all of them, or some of `name`, `reason`, `summary`, `note`); each message lists what it left out in `omitted`' },
  { name: 'KAFKA_TOPIC_PARTITIONS', shown: '6', description: 'partitions of the topics the ledger creates (the events topics: as many consumer-group replicas can project)' },
  { name: 'KAFKA_TOPIC_REPLICATION', shown: 'unset: the broker\'s default', description: 'replication factor of the topics the ledger creates (3 in production)' },
  { name: 'KAFKA_STATS_INTERVAL_SECONDS', shown: '60', description: 'how often the stats topic is brought up to date (only changed figures are published)' },
  { name: 'KAFKA_SASL_MECHANISM', shown: 'unset: no SASL', description: '`plain`, `scram-sha-256` or `scram-sha-512` (with KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD)' },
  { name: 'KAFKA_SASL_USERNAME', shown: 'unset', description: 'the SASL user' },
  { name: 'KAFKA_SASL_PASSWORD', shown: 'unset', description: 'the SASL password', secret: true },
  { name: 'KAFKA_TLS', shown: 'off', description: '`on`: connect to the brokers with TLS (on by itself when a KAFKA_TLS_* file is given)' },
  { name: 'KAFKA_TLS_CA_FILE', shown: 'unset: the system\'s CAs', description: 'PEM of the CA(s) the brokers\' certificates are checked against' },
  { name: 'KAFKA_TLS_CERT_FILE', shown: 'unset', description: 'client certificate (PEM) for mutual TLS, with KAFKA_TLS_KEY_FILE' },
  { name: 'KAFKA_TLS_KEY_FILE', shown: 'unset', description: 'its private key (PEM)', secret: true },
  { name: 'LEDGER_API_PROJECTOR', shown: 'on', description: '`on`: the API process also runs the projector, clock, Kafka relay and head signing (one machine); `off`: it only answers requests, and a `start:projector` service in `follow` mode does the rest (a scaled-out site)' },
  { name: 'LEDGER_PROJECTOR_PORT', shown: '3100', description: 'the projector service\'s operations port: `/health/live`, `/health` (readiness), `/metrics` (on `HOST`); `0` picks a free one' },
  { name: 'LEDGER_READ_MODELS_BY', shown: 'follow', description: 'who projects the read models: `follow` (the process that follows the store: `npm start`, or `start:projector` in follow mode) or `kafka-group` (the `PROJECTOR_MODE=kafka-group` replicas; the follow process then only relays to Kafka, runs the clock and signs the heads)' },
  { name: 'PROJECTOR_MODE', shown: 'follow', description: 'the projector service (`start:projector`): `follow` the store (read models, clock, relay), or `kafka-group` (a consumer-group replica)' },
  { name: 'LEDGER_JWT_SECRET', shown: 'unset: generated into the data dir', description: 'HS256 secret. When unset and no JWKS is configured, one is generated once into `<dir>/jwt-secret` and a 30-day admin token is written to `<dir>/admin-token` at every start', secret: true },
  { name: 'LEDGER_JWKS_URL', shown: 'unset', description: 'an identity provider\'s JWKS (e.g. Keycloak `…/realms/R/protocol/openid-connect/certs`): RS256/ES256 tokens are verified against its keys, chosen by `kid` (rotation needs no restart)' },
  { name: 'LEDGER_JWT_ISSUER', shown: 'unset', description: 'the `iss` every JWKS-signed token must carry (required with `LEDGER_JWKS_URL`)' },
  { name: 'LEDGER_JWT_AUDIENCE', shown: 'unset', description: 'comma-separated: a JWKS-signed token\'s `aud` must name one of these (required with `LEDGER_JWKS_URL`)' },
  { name: 'LEDGER_JWT_ALGORITHMS', shown: 'RS256,ES256', description: 'the asymmetric algorithms accepted from the JWKS' },
  { name: 'LEDGER_JWT_ROLES_CLAIM', shown: 'roles', description: 'where a JWKS-signed token carries its roles: a dotted path (`realm_access.roles`, `resource_access.cadre-ledger.roles`)' },
  { name: 'LEDGER_JWT_UNITS_CLAIM', shown: 'units', description: 'where it carries its unit ids (an array, or one space- or comma-separated string; `*` for every unit)' },
  { name: 'LEDGER_JWT_SUBJECT_CLAIM', shown: 'sub', description: 'the claim stored as `actor` on every event (e.g. `preferred_username`)' },
  { name: 'LEDGER_JWT_ROLE_MAP', shown: 'unset: roles taken as named', description: 'IdP role → ledger roles, e.g. `zzb-ganbu=organization,jiwei=discipline,shenji=auditor` (several ledger roles joined with `+`); with a map, unmapped IdP roles grant nothing' },
  { name: 'LEDGER_JWT_MAX_LIFETIME_DAYS', shown: '31', description: 'a token whose `exp` lies further ahead than this is refused (401), whoever signed it' },
  { name: 'LEDGER_RULESETS_DIR', shown: 'libs/policy/rulesets', description: 'rule sets to load instead of the shipped ones' },
  { name: 'LOG_LEVEL', shown: 'info', description: `pino level (${LOG_LEVELS.join(', ')}): JSON logs, one request id per request` },
  { name: 'LEDGER_MAX_STREAM_EVENTS', shown: '20000', description: 'the most events one stream holds; a command on a full stream is a 422 `stream-full` and appends nothing' },
  { name: 'LEDGER_STREAM_CACHE_EVENTS', shown: '200000', description: 'events of recently read streams kept in memory (about 750 bytes each), so that a read fetches only what was appended since; `0` keeps none' },
  { name: 'LEDGER_EARLIEST_DATE', shown: '1900-01-01', description: 'the earliest `effectiveAt` accepted (422 `effective-date-too-early` before it)' },
  { name: 'LEDGER_EVALUATION_THREADS', shown: '2 (or fewer cores)', description: 'worker threads for histories of 5,000 facts or more; `0` evaluates everything on the event loop' },
  { name: 'LEDGER_IDEMPOTENCY_LEASE_SECONDS', shown: '30', description: 'how long a key in progress is held before a retry takes it over' },
  { name: 'LEDGER_QUOTA_CLAIM_LEASE_SECONDS', shown: '600', description: 'how long an excellence-quota claim waits for its review before a unit at its limit releases it as left behind' },
  { name: 'LEDGER_SMALL_COUNT_THRESHOLD', shown: '5', description: 'for the `dashboard` role, `/v1/stats` figures below this are `null` and listed in `suppressed`' },
  { name: 'LEDGER_PDF_FONT', shown: 'unset: the first CJK font found of Debian\'s fonts-noto-cjk (serif, then sans), fonts-wqy-microhei, fonts-wqy-zenhei', description: 'the font embedded in PDF dossiers: a TrueType/OpenType file or collection, `path#PostScriptName` to pick one face of a collection' },
  { name: 'LEDGER_BODY_TIMEOUT_MS', shown: '10000', description: 'a request body must arrive within this (408 otherwise)' },
  { name: 'LEDGER_MAX_CONNECTIONS', shown: '1000', description: 'open HTTP connections beyond this are refused' },
  { name: 'LEDGER_SHUTDOWN_TIMEOUT_SECONDS', shown: '25', description: 'on SIGTERM: how long requests in flight and the projector\'s batch may take to finish before the process exits anyway' },
  { name: 'LEDGER_HASH_ALGORITHM', shown: 'sha256', description: '`sha256` or `sm3` (国密): the chain, leaf and tree hash of a **new** store; an existing store keeps its own and refuses another' },
  { name: 'LEDGER_SIGNING_KEY', shown: 'unset', description: 'the PKCS#8 PEM that signs tree heads (Ed25519)', secret: true },
  { name: 'LEDGER_SIGNING_KEY_FILE', shown: 'unset: `<dir>/signing-key.pem`, generated once', description: 'the same as a file; in production keep it off the database host (a secret mount)' },
  { name: 'LEDGER_HEAD_INTERVAL_SECONDS', shown: '10', description: 'a head is signed at most this long after any append' },
  { name: 'LEDGER_HEADS_FILE', shown: '`<dir>/heads.ndjson`', description: 'every signed head appended as one JSON line (`off`: none); keep a copy off the host for `ledger verify --digest`' },
  { name: 'LEDGER_IMPORT_DIR', shown: '`<LEDGER_DATA_DIR>/imports`', description: 'where uploads wait for their import job (the API\'s own, one per process: emptied at start, each file removed when its job ends)' },
  { name: 'LEDGER_IMPORT_MAX_MB', shown: '50', description: 'the largest spreadsheet taken (`POST /v1/imports`: a bigger upload is a 413; `ledger import`: refused)' },
  { name: 'LEDGER_IMPORT_MAX_ENTRY_MB', shown: '256', description: 'an .xlsx part (a worksheet, the shared strings) may inflate to at most this, as its archive\'s directory declares before anything is inflated' },
  { name: 'LEDGER_IMPORT_MAX_ARCHIVE_MB', shown: '512', description: 'all parts of an .xlsx together, inflated' },
  { name: 'LEDGER_IMPORT_MAX_RATIO', shown: '100', description: 'an .xlsx part larger than 1 MB may inflate to at most this many times its compressed size (a zip bomb is refused before it is inflated)' },
  { name: 'LEDGER_IMPORT_MAX_ROWS', shown: '500000', description: 'data rows taken from one spreadsheet' },
  { name: 'LEDGER_IMPORT_MAX_PROBLEMS', shown: '1000', description: 'problems listed in an import\'s report (the first ones; the rest are counted)' },
  { name: 'LEDGER_IMPORT_MEMORY_MB', shown: '1024', description: 'heap of the child process each spreadsheet import runs in: a file that needs more ends that process (the job fails with the reason), never the API' },
  { name: 'LEDGER_ACTOR', shown: '`cli:<OS user>`', description: 'the CLI\'s name in the read audit and on what it appends' },
];

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
  hashAlgorithm?: (typeof HASH_ALGORITHM_NAMES)[number];
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
    const on = get('KAFKA_TLS', onOff, false) || Object.values(files).some(Boolean);
    return on ? Object.fromEntries(Object.entries(files).filter(([, v]) => v !== undefined)) : undefined;
  };

  const dataDir = resolve(get('LEDGER_DATA_DIR', trimmed, '.data'));
  const databaseUrl = optional('DATABASE_URL', url(['postgres:', 'postgresql:']));
  const embeddedDataDir = resolve(get('EMBEDDED_PG_DATA_DIR', trimmed, join(dataDir, 'postgres')));
  const database: DatabaseConfig = databaseUrl
    ? { kind: 'external', url: databaseUrl }
    : {
        kind: 'embedded',
        dataDir: embeddedDataDir,
        port: get('EMBEDDED_PG_PORT', whole(1, 65535), DEFAULT_EMBEDDED_PORT),
        database: get('EMBEDDED_PG_DATABASE', trimmed.refine((s) => /^[a-z_][a-z0-9_]{0,62}$/.test(s), 'must be a lower-case SQL name'), DEFAULT_DATABASE_NAME),
        user: get('EMBEDDED_PG_USER', trimmed.refine((s) => /^[a-z_][a-z0-9_]{0,62}$/.test(s), 'must be a lower-case SQL name'), 'postgres'),
        ...(env.EMBEDDED_PG_PASSWORD?.trim() ? { password: env.EMBEDDED_PG_PASSWORD.trim() } : {}),
      };

  const jwksUrl = optional('LEDGER_JWKS_URL', url(['https:', 'http:']));
  const issuer = optional('LEDGER_JWT_ISSUER', trimmed);
  const audience = optional('LEDGER_JWT_AUDIENCE', list);
  const algorithms = get('LEDGER_JWT_ALGORITHMS', list.refine((l) => l.length > 0 && l.every((a) => ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'].includes(a)), 'must list asymmetric algorithms such as RS256,ES256'), ['RS256', 'ES256']);
  if (jwksUrl && !issuer) problems.push('LEDGER_JWT_ISSUER is required with LEDGER_JWKS_URL: tokens from another issuer must be refused');
  if (jwksUrl && (!audience || audience.length === 0)) problems.push('LEDGER_JWT_AUDIENCE is required with LEDGER_JWKS_URL: tokens meant for another service must be refused');
  const jwtSecret = optional('LEDGER_JWT_SECRET', trimmed.refine((s) => s.length >= 32, 'must be at least 32 characters (HS256 needs a 256-bit key)'));

  const config: LedgerConfig = {
    dataDir,
    http: {
      host: get('HOST', trimmed, '127.0.0.1'),
      port: get('PORT', whole(0, 65535), 3000),
      projectorPort: get('LEDGER_PROJECTOR_PORT', whole(0, 65535), 3100),
      maxConnections: get('LEDGER_MAX_CONNECTIONS', whole(1), 1000),
      bodyTimeoutMs: get('LEDGER_BODY_TIMEOUT_MS', whole(100), 10_000),
      shutdownTimeoutMs: get('LEDGER_SHUTDOWN_TIMEOUT_SECONDS', whole(1, 3600), 25) * 1000,
    },
    database,
    databasePoolSize: get('DATABASE_POOL_SIZE', whole(2, 500), 10),
    // Not a WHATWG URL: a cluster's string lists several host:port pairs.
    eventStoreConnectionString: optional('EVENTSTORE_CONNECTION_STRING', trimmed.refine((s) => /^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover):\/\/\S+$/.test(s), 'must be an esdb://, esdb+discover://, kurrentdb:// or kurrentdb+discover:// connection string')),
    hashAlgorithm: optional('LEDGER_HASH_ALGORITHM', oneOf(HASH_ALGORITHM_NAMES)),
    kafka: {
      brokers: get('KAFKA_BROKERS', list.refine((l) => l.every((b) => /^[A-Za-z0-9.-]+:\d{1,5}$/.test(b)), 'must be host:port[,host:port…]'), []),
      groupId: get('KAFKA_GROUP_ID', trimmed, 'cadre-ledger-projectors'),
      clientId: get('KAFKA_CLIENT_ID', trimmed, 'cadre-ledger'),
      publishV1: get('KAFKA_PUBLISH_V1', onOff, true),
      omitFields: get(
        'KAFKA_OMIT_FIELDS',
        list
          .refine((l) => l.every((f) => f === 'personal' || (KAFKA_PERSONAL_FIELDS as readonly string[]).includes(f)), `must be personal, or some of ${KAFKA_PERSONAL_FIELDS.join(', ')}`)
          .transform((l) => (l.includes('personal') ? [...KAFKA_PERSONAL_FIELDS] : l)),
        [],
      ),
      partitions: get('KAFKA_TOPIC_PARTITIONS', whole(1, 10_000), 6),
      replicationFactor: get('KAFKA_TOPIC_REPLICATION', whole(1, 100), -1),
      statsIntervalSeconds: get('KAFKA_STATS_INTERVAL_SECONDS', whole(1, 86_400), 60),
      sasl: kafkaSasl(),
      tls: kafkaTls(),
    },
    projectorMode: get('PROJECTOR_MODE', oneOf(PROJECTOR_MODES), 'follow'),
    readModelsBy: get('LEDGER_READ_MODELS_BY', oneOf(READ_MODEL_PROJECTORS), 'follow'),
    apiProjector: get('LEDGER_API_PROJECTOR', oneOf(['on', 'off'] as const), 'on') === 'on',
    auth: {
      ...(jwtSecret ? { jwtSecret } : {}),
      ...(jwksUrl && issuer && audience ? { jwks: { url: jwksUrl, issuer, audience, algorithms } } : {}),
      rolesClaim: get('LEDGER_JWT_ROLES_CLAIM', claimPath, 'roles'),
      unitsClaim: get('LEDGER_JWT_UNITS_CLAIM', claimPath, 'units'),
      subjectClaim: get('LEDGER_JWT_SUBJECT_CLAIM', claimPath, 'sub'),
      ...(env.LEDGER_JWT_ROLE_MAP?.trim() ? { roleMap: get('LEDGER_JWT_ROLE_MAP', roleMap, {}) } : {}),
      maxLifetimeSeconds: get('LEDGER_JWT_MAX_LIFETIME_DAYS', whole(1, 3650), 31) * 86_400,
    },
    ruleSetsDir: optional('LEDGER_RULESETS_DIR', trimmed.transform((s) => resolve(s))),
    logLevel: get('LOG_LEVEL', oneOf(LOG_LEVELS), 'info'),
    evaluationThreads: get('LEDGER_EVALUATION_THREADS', whole(0, 256), Math.min(2, availableParallelism())),
    api: {
      idempotencyLeaseSeconds: get('LEDGER_IDEMPOTENCY_LEASE_SECONDS', whole(1), 30),
      smallCountThreshold: get('LEDGER_SMALL_COUNT_THRESHOLD', whole(0), 5),
      bodyTimeoutMs: get('LEDGER_BODY_TIMEOUT_MS', whole(100), 10_000),
      pdfFont: optional('LEDGER_PDF_FONT', trimmed.refine((s) => existsSync(s.replace(/#[^/#]*$/, '')), 'must name a font file that exists (path, or path#PostScriptName)')),
    },
    signing: {
      keyPem: optional('LEDGER_SIGNING_KEY', trimmed.refine((s) => s.includes('BEGIN PRIVATE KEY'), 'must be a PKCS#8 PEM (-----BEGIN PRIVATE KEY-----)')),
      keyFile: optional('LEDGER_SIGNING_KEY_FILE', trimmed.transform((s) => resolve(s))),
      headIntervalSeconds: get('LEDGER_HEAD_INTERVAL_SECONDS', whole(1), 10),
      headsFile: headsFile(env.LEDGER_HEADS_FILE, dataDir),
    },
    ledger: {
      maxStreamEvents: get('LEDGER_MAX_STREAM_EVENTS', whole(1), 20_000),
      earliestDate: get('LEDGER_EARLIEST_DATE', trimmed.refine((s) => DATE.test(s), 'must be a YYYY-MM-DD date'), '1900-01-01'),
      quotaClaimLeaseMs: get('LEDGER_QUOTA_CLAIM_LEASE_SECONDS', whole(1), 600) * 1000,
      streamCacheEvents: get('LEDGER_STREAM_CACHE_EVENTS', whole(0, 50_000_000), 200_000),
    },
    imports: {
      dir: resolve(get('LEDGER_IMPORT_DIR', trimmed, join(dataDir, 'imports'))),
      memoryMb: get('LEDGER_IMPORT_MEMORY_MB', whole(64, 65_536), 1024),
      limits: {
        maxFileBytes: get('LEDGER_IMPORT_MAX_MB', whole(1, 10_240), 50) * MB,
        maxEntryBytes: get('LEDGER_IMPORT_MAX_ENTRY_MB', whole(1, 65_536), 256) * MB,
        maxArchiveBytes: get('LEDGER_IMPORT_MAX_ARCHIVE_MB', whole(1, 65_536), 512) * MB,
        maxCompressionRatio: get('LEDGER_IMPORT_MAX_RATIO', whole(2, 100_000), 100),
        maxRows: get('LEDGER_IMPORT_MAX_ROWS', whole(1, 100_000_000), 500_000),
        maxProblems: get('LEDGER_IMPORT_MAX_PROBLEMS', whole(1, 1_000_000), 1000),
      },
    },
    actor: optional('LEDGER_ACTOR', trimmed),
    unknownVariables: unknownVariables(env),
  };
  if (config.signing.keyPem && config.signing.keyFile) problems.push('LEDGER_SIGNING_KEY and LEDGER_SIGNING_KEY_FILE are both set: give the key one way');
  if (config.projectorMode === 'kafka-group' && config.kafka.brokers.length === 0) problems.push('PROJECTOR_MODE=kafka-group needs KAFKA_BROKERS');
  if (config.readModelsBy === 'kafka-group' && config.kafka.brokers.length === 0) problems.push('LEDGER_READ_MODELS_BY=kafka-group needs KAFKA_BROKERS (the replicas read the events from Kafka)');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function headsFile(value: string | undefined, dataDir: string): string | undefined {
  const text = value?.trim();
  if (text === 'off') return undefined;
  return text ? resolve(text) : join(dataDir, 'heads.ndjson');
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

/** The README's configuration table (`ledger config --markdown`). */
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

/** Where the generated password of an embedded cluster is kept: beside its directory, not inside it (initdb wants an empty one). */
export const embeddedPasswordFile = (clusterDir: string): string => join(dirname(resolve(clusterDir)), `${resolve(clusterDir).split(/[\\/]/).pop()}.password`);
