import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Pool } from 'pg';
import { openEventStore } from '@cadre-ledger/event-store';
import { poolEvaluator } from '@cadre-ledger/application';
import { loadSigningKey, logOrigin, registerWitnessMetrics } from '@cadre-ledger/audit';
import { openDatabase } from '@cadre-ledger/platform';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { Projector, projectionLag } from '@cadre-ledger/projections';
import { chinaDateOf } from '@cadre-ledger/domain';
import { startFollowing } from '../../projector/src/follow';
import { registerRelayMetrics, type KafkaLogSink } from '@cadre-ledger/messaging';
import { Logger } from 'nestjs-pino';
import { HEALTH_CHECKS, type HealthChecks } from './health/health-checks';
import type { Metrics } from './metrics/metrics';
import { METRICS } from './tokens';
import { createApiApp } from './app';
import { secretKey, signToken } from './auth/jwt';
import type { LedgerConfig } from '@cadre-ledger/platform';

export interface RunningServer {
  url: string;
  app: NestExpressApplication;
  /** Stops accepting requests, closes the store and the pool, stops the embedded PostgreSQL. */
  close(): Promise<void>;
}

const SECRET_FILE = 'jwt-secret';
const ADMIN_TOKEN_FILE = 'admin-token';
export const SIGNING_KEY_FILE = 'signing-key.pem';

/**
 * Zero set-up start (ARCHITECTURE.md, "Where it runs"): the embedded PostgreSQL in the data dir
 * (or DATABASE_URL), migrations, the event store (PostgreSQL, or EventStoreDB when
 * EVENTSTORE_CONNECTION_STRING is set), a JWT secret kept in the data dir when none is given, and
 * the API on PORT. Starting again on the same data dir finds every event and key again.
 */
export async function startServer(config: LedgerConfig, log: (line: string) => void = (line) => console.log(line)): Promise<RunningServer> {
  await mkdir(config.dataDir, { recursive: true });
  const cleanups: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => log(`shutdown: ${String(error)}`));
  };
  try {
    const database = await openDatabase(config.database, log);
    cleanups.push(() => database.stop());
    const pool = new Pool({ connectionString: database.url, max: config.databasePoolSize });
    pool.on('error', () => undefined);
    cleanups.push(() => pool.end());

    const store = await openEventStore({ databaseUrl: database.url, eventStoreConnectionString: config.eventStoreConnectionString, hashAlgorithm: config.hashAlgorithm });
    cleanups.push(() => store.close());

    const { secret, generated } = await jwtSecret(config);
    for (const name of config.unknownVariables) log(`cadre-ledger: warning: ${name} is set but nothing reads it`);
    const ruleBook = readRuleBook(config.ruleSetsDir);
    // Long histories are evaluated on worker threads, off the event loop that answers everyone else.
    const evaluator = poolEvaluator({ ruleBook, ruleSetsDir: config.ruleSetsDir, threads: config.evaluationThreads });
    cleanups.push(() => evaluator.close());
    // The tree-head key lives outside the database: given, or generated once into the data dir.
    const signingKey = loadSigningKey({ pem: config.signing.keyPem, file: config.signing.keyFile, generateInto: join(config.dataDir, SIGNING_KEY_FILE) });
    const { jwtSecret: _given, ...auth } = config.auth;
    const origin = signingKey ? logOrigin(config.witnessing.origin, signingKey.publicKey) : undefined;
    const imports = { ...config.imports, connection: { databaseUrl: database.url, eventStoreConnectionString: config.eventStoreConnectionString, hashAlgorithm: store.hashAlgorithm, ruleSetsDir: config.ruleSetsDir } };
    const app = await createApiApp({ store, pool, ruleBook, jwtSecret: secret, auth, logLevel: config.logLevel, options: config.api, ledger: { ...config.ledger, evaluator }, publicKey: signingKey?.publicKey, logOrigin: origin, imports });
    cleanups.push(() => app.close());

    // Projector and clock in the same process (ARCHITECTURE.md, "Where it runs"), and the Kafka
    // relay when brokers are configured; stopped before the app, the store and the pool. A
    // scaled-out site turns this off and runs them as the projector service.
    if (config.apiProjector) {
      const following = await startFollowing({
        pool,
        store,
        ruleBook,
        kafka: config.kafka,
        smallCountThreshold: config.api.smallCountThreshold,
        readModelsBy: config.readModelsBy,
        log,
        kafkaLog: pinoSink(app.get(Logger)),
        evaluator,
        transparency: { key: signingKey, headIntervalMs: config.signing.headIntervalSeconds * 1000, headsFile: config.signing.headsFile, witnessing: config.witnessing },
      });
      cleanups.push(() => following.stop());
      const { relay, witnessing } = following;
      if (relay) {
        registerRelayMetrics(app.get<Metrics>(METRICS).registry, relay);
        app.get<HealthChecks>(HEALTH_CHECKS).add('kafka', () => (relay.status().up ? 'up' : 'down'));
      }
      // Witnesses are shown, never counted for readiness: one that is down must not stop the ledger.
      if (witnessing && config.witnessing.witnesses.length > 0) {
        registerWitnessMetrics(app.get<Metrics>(METRICS).registry, witnessing);
        app.get<HealthChecks>(HEALTH_CHECKS).detail('witnesses', () => witnessing.status());
      }
    }
    // The lag of the read models this API answers from, whoever projects them (its checkpoint is in the database).
    const checkpoints = new Projector({ pool, store, ruleBook, today: () => chinaDateOf(new Date().toISOString()) });
    app.get<Metrics>(METRICS).registerProjectionLag(['cadre_eligibility', 'promotion_locks', 'tolerance_cases', 'mechanism_stats'], () => projectionLag(store, checkpoints, new Date()));
    if (config.apiProjector && config.kafka.brokers.length > 0) log(`cadre-ledger: publishing to Kafka at ${config.kafka.brokers.join(',')}`);
    await app.listen(config.http.port, config.http.host);
    const server: Server = app.getHttpServer();
    limitConnections(server, config.http.maxConnections);
    // First at shutdown: stop taking requests and let those in flight finish, then the rest.
    cleanups.push(() => drain(server, config.http.shutdownTimeoutMs));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.http.port;
    const everywhere = ['0.0.0.0', '::', ''].includes(config.http.host);
    const url = `http://${everywhere || config.http.host === 'localhost' ? '127.0.0.1' : config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host}:${port}`;

    if (generated && secret) {
      const tokenFile = join(config.dataDir, ADMIN_TOKEN_FILE);
      await writeFile(tokenFile, `${await signToken({ sub: 'admin', roles: ['admin'], units: ['*'] }, secretKey(secret), '30d')}\n`, { mode: 0o600 });
      log(`cadre-ledger: no LEDGER_JWT_SECRET given; the secret is kept in ${join(config.dataDir, SECRET_FILE)}`);
      log(`cadre-ledger: an admin token (30 days) is in ${tokenFile}; try:`);
      log(`  curl -H "Authorization: Bearer $(cat ${tokenFile})" ${url}/v1/audit/verify`);
    }
    log(`cadre-ledger: listening on ${everywhere ? `every interface, port ${port}` : url} (OpenAPI at ${url}/docs), data in ${config.dataDir}`);
    return { url, app, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/**
 * Bounds on what one client can hold: headers within 10 s, a whole request within 180 s (bodies
 * have their own, shorter deadline: bodyDeadline), idle keep-alive connections closed after 5 s,
 * and at most `maxConnections` connections open at once.
 */
function limitConnections(server: Server, maxConnections: number): void {
  server.headersTimeout = 10_000;
  server.requestTimeout = 180_000; // an upload to import may take a while; JSON bodies have their own deadline (bodyDeadline)
  server.keepAliveTimeout = 5_000;
  server.maxConnections = maxConnections;
}

/**
 * Graceful drain: no new connections, idle keep-alive connections closed at once, requests in
 * flight answered (their connections closed after the answer); whatever is still open after
 * `timeoutMs` is cut.
 */
export function drain(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
    // A connection that becomes idle after its answer is closed rather than kept alive.
    server.on('request', (_req, res) => res.setHeader('Connection', 'close'));
  });
}

/**
 * LEDGER_JWT_SECRET, else (with no identity provider configured) the one kept in the data dir,
 * else a new one written there. With a JWKS and no secret, every token comes from the provider.
 */
async function jwtSecret(config: LedgerConfig): Promise<{ secret: string | undefined; generated: boolean }> {
  if (config.auth.jwtSecret) return { secret: config.auth.jwtSecret, generated: false };
  if (config.auth.jwks) return { secret: undefined, generated: false };
  const file = join(config.dataDir, SECRET_FILE);
  if (existsSync(file)) return { secret: (await readFile(file, 'utf8')).trim(), generated: true };
  const secret = randomBytes(32).toString('hex');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return { secret, generated: true };
}

/** kafkajs' lines and the relay's into the API's own JSON log (pino), with a `component` field. */
function pinoSink(logger: Logger): KafkaLogSink {
  return (level, message, fields) => {
    const merged = { ...fields, component: 'kafka' };
    if (level === 'error') logger.error(merged, message);
    else if (level === 'warn') logger.warn(merged, message);
    else if (level === 'debug') logger.debug(merged, message);
    else logger.log(merged, message);
  };
}
