import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { ParameterObject, ReferenceObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { IDENTIFIER_PATTERN } from '@cadre-ledger/domain';
import { json } from 'express';
import { Logger } from 'nestjs-pino';
import type { Pool } from 'pg';
import { Ledger, type LedgerDependencies } from '@cadre-ledger/application';
import type { ApiOptions, ImportSettings } from './tokens';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_INTAKE_LIMITS } from '@cadre-ledger/intake';
import type { EventStore } from '@cadre-ledger/event-store';
import { runMigrations } from '@cadre-ledger/platform';
import { migrateReadModels } from '@cadre-ledger/projections';
import type { RuleBook } from '@cadre-ledger/policy';
import type { KeyObject } from 'node:crypto';
import { AUDIT_MIGRATIONS_NAMESPACE, AccessLog, auditMigrations, logOrigin } from '@cadre-ledger/audit';
import { AppModule } from './app.module';
import { secretKey, tokenVerifier, type VerifierOptions } from './auth/jwt';
import type { AuthConfig } from '@cadre-ledger/platform';
import { ProblemFilter, problemMiddleware, sendProblem } from './common/problem.filter';
import { bodyDeadline, refuseUnstorableText, requireUtf8 } from './common/text-sanity';
import { ProblemException } from './common/problem';
import { authenticateEarly } from './auth/auth.guard';
import { ledgerValidationPipe } from './common/validation';
import { ProblemDto, WriteResultDto } from './common/write-result.dto';
import { API_MIGRATIONS_NAMESPACE, apiMigrations } from './idempotency/idempotency.schema';
import { meteredEventStore } from './metrics/metered-event-store';
import { Metrics } from './metrics/metrics';
import { dashboardRouter } from './dashboard/static';
import { PAGE_POLICY, securityHeaders } from './common/security-headers';

export interface ApiDependencies {
  /** Where events live (PostgreSQL or EventStoreDB). */
  store: EventStore;
  /** The PostgreSQL of the API's own tables (idempotency keys) and of readiness. */
  pool: Pool;
  ruleBook: RuleBook;
  /** `LEDGER_JWT_SECRET` (or the one generated into the data dir): the server's own HS256 tokens. */
  jwtSecret?: string;
  /** An identity provider's JWKS and how its claims map (LEDGER_JWKS_URL, LEDGER_JWT_*). */
  auth?: Omit<AuthConfig, 'jwtSecret'>;
  /** jose's remote key set options (tests shorten the cooldown). */
  jwksOptions?: VerifierOptions['jwksOptions'];
  now?: () => Date;
  /** pino level; default `LOG_LEVEL` or `info`. */
  logLevel?: string;
  /** Process metrics (CPU, memory, GC) besides the ledger's own. Default true. */
  defaultMetrics?: boolean;
  /** Operational settings of the HTTP layer; defaults in DEFAULT_API_OPTIONS. */
  options?: Partial<ApiOptions>;
  /** The public key tree heads are signed with (its private half signs in the follow process). */
  publicKey?: KeyObject | null;
  /** The checkpoints' origin (LEDGER_LOG_ORIGIN, or the one derived from the key): the note key name `GET /v1/audit/public-key` gives. */
  logOrigin?: string;
  /** Spreadsheet imports (LEDGER_IMPORT_*); default: a directory of this process under the OS's, the pool's database, the default limits. */
  imports?: Partial<Omit<ImportSettings, 'limits'>> & { limits?: Partial<ImportSettings['limits']> };
  /** Limits of the command path (LEDGER_MAX_STREAM_EVENTS, LEDGER_EARLIEST_DATE), its stream cache (LEDGER_STREAM_CACHE_EVENTS). */
  ledger?: Pick<LedgerDependencies, 'maxStreamEvents' | 'earliestDate' | 'maxConflictRetries' | 'evaluator' | 'quotaClaimLeaseMs' | 'streamCacheEvents'>;
}

export const DEFAULT_API_OPTIONS: ApiOptions = {
  idempotencyLeaseSeconds: 30,
  smallCountThreshold: 5,
  maxConcurrentVerifications: 1,
  maxQueuedVerifications: 4,
  bodyTimeoutMs: 10_000,
};

/** Path ids follow API.md's identifier pattern; say so in the document, where a generated client can check it. */
function describePathIdentifiers(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as { parameters?: (ParameterObject | ReferenceObject)[] }[]) {
      for (const parameter of operation.parameters ?? []) {
        if ('in' in parameter && parameter.in === 'path' && ['cadreId', 'unitId', 'caseId'].includes(parameter.name)) {
          parameter.schema = { type: 'string', pattern: IDENTIFIER_PATTERN.source };
        }
      }
    }
  }
}

/** The routes open without a token (health, metrics, the public key) say so: `security: []`. */
function markPublicOperations(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as { security?: unknown[]; responses?: unknown }[]) {
      if (operation && typeof operation === 'object' && operation.responses && operation.security === undefined) operation.security = [];
    }
  }
}

/** API.md: a body over 256 KiB is a 413. */
export const MAX_BODY = '256kb';

/** The whole HTTP API, initialised and ready to `listen` (or to be driven by supertest). */
export async function createApiApp(deps: ApiDependencies): Promise<NestExpressApplication> {
  await runMigrations(deps.pool, API_MIGRATIONS_NAMESPACE, apiMigrations);
  // The read models' tables exist from the start, so /v1/eligibility and /v1/stats answer (empty)
  // even before a projector has run.
  await migrateReadModels(deps.pool);
  await runMigrations(deps.pool, AUDIT_MIGRATIONS_NAMESPACE, auditMigrations);
  const metrics = new Metrics({ defaultMetrics: deps.defaultMetrics });
  const store = meteredEventStore(deps.store, metrics);
  const ledger = new Ledger({ store, ruleBook: deps.ruleBook, now: deps.now ?? (() => new Date()), newEventId: randomUUID, ...deps.ledger });

  if (!deps.jwtSecret && !deps.auth?.jwks) throw new Error('no way to verify tokens: give a JWT secret or an identity provider\'s JWKS');
  const verifier = tokenVerifier({ secret: deps.jwtSecret ? secretKey(deps.jwtSecret) : undefined, auth: deps.auth, jwksOptions: deps.jwksOptions });
  const options: ApiOptions = { ...DEFAULT_API_OPTIONS, ...deps.options };
  const module = AppModule.register({
    ledger,
    store,
    pool: deps.pool,
    verifier,
    ruleBook: deps.ruleBook,
    metrics,
    logLevel: deps.logLevel ?? process.env.LOG_LEVEL ?? 'info',
    options,
    audit: {
      accessLog: new AccessLog(deps.pool, deps.store.hashAlgorithm),
      publicKey: deps.publicKey ?? null,
      logOrigin: deps.publicKey ? logOrigin(deps.logOrigin, deps.publicKey) : null,
    },
    imports: {
      dir: join(tmpdir(), `cadre-ledger-imports-${process.pid}`),
      memoryMb: 1024,
      connection: { databaseUrl: (deps.pool as unknown as { options: { connectionString: string } }).options.connectionString, hashAlgorithm: deps.store.hashAlgorithm },
      ...deps.imports,
      limits: { ...DEFAULT_INTAKE_LIMITS, ...deps.imports?.limits },
    },
  });
  const app = await NestFactory.create<NestExpressApplication>(module, { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  app.use(securityHeaders());
  app.use('/docs', securityHeaders(PAGE_POLICY));
  app.use(metrics.middleware());
  app.use('/dashboard', dashboardRouter());
  app.use(authenticateEarly(verifier));
  app.use(bodyDeadline(options.bodyTimeoutMs, (req, res) => sendProblem(new ProblemException(408, 'body-timeout', `the request body did not arrive within ${options.bodyTimeoutMs} ms`), req, res)));
  app.use(json({ limit: MAX_BODY, type: ['application/json', 'application/*+json'], verify: requireUtf8 }));
  app.use(refuseUnstorableText);
  app.use(problemMiddleware);
  app.useGlobalPipes(ledgerValidationPipe());
  app.useGlobalFilters(new ProblemFilter());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('cadre-ledger')
      .setDescription('Event-sourced ledger of cadre incentives, fault tolerance and up-and-down decisions, with a cited, dated policy engine (API.md, version 1)')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .addServer('/', 'This server')
      .build(),
    { extraModels: [ProblemDto, WriteResultDto] },
  );
  describePathIdentifiers(document);
  markPublicOperations(document);
  document.info.license = { name: 'UNLICENSED: the repository\'s terms', url: 'https://spdx.org/licenses/' };
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  await app.init();
  return app;
}
