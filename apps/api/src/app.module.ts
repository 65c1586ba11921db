import { randomUUID } from 'node:crypto';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import type { Ledger } from '@cadre-ledger/application';
import type { EventStore } from '@cadre-ledger/event-store';
import { AccountabilityModule } from './accountability/accountability.module';
import { AdjustmentsModule } from './adjustments/adjustments.module';
import { AuditModule } from './audit/audit.module';
import { AuthGuard } from './auth/auth.guard';
import { CadresModule } from './cadres/cadres.module';
import { WritesService } from './common/writes.service';
import { EligibilityModule } from './eligibility/eligibility.module';
import { HealthModule } from './health/health.module';
import { WriteInterceptor } from './idempotency/write.interceptor';
import { IncentivesModule } from './incentives/incentives.module';
import type { Metrics } from './metrics/metrics';
import { MetricsModule } from './metrics/metrics.module';
import { StatsModule } from './stats/stats.module';
import { ToleranceModule } from './tolerance/tolerance.module';
import { UnitsModule } from './units/units.module';
import { NominationsModule } from './nominations/nominations.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { HEALTH_CHECKS, HealthChecks } from './health/health-checks';
import { QueuesModule } from './queues/queues.module';
import { API_OPTIONS, AUDIT, EVENT_STORE, IMPORTS, TOKEN_VERIFIER, LEDGER, METRICS, PG_POOL, RULE_BOOK, type ApiOptions, type AuditDependencies, type ImportSettings } from './tokens';
import type { RuleBook } from '@cadre-ledger/policy';
import { ImportsModule } from './imports/imports.module';
import { AccessService } from './audit/access.service';
import type { TokenVerifier } from './auth/jwt';

export interface ApiModuleDependencies {
  ledger: Ledger;
  store: EventStore;
  pool: Pool;
  verifier: TokenVerifier;
  ruleBook: RuleBook;
  metrics: Metrics;
  logLevel: string;
  options: ApiOptions;
  audit: AuditDependencies;
  imports: ImportSettings;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's `X-Request-Id` when it is sane, else a fresh one; echoed on the answer and in every log line. */
function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

@Module({})
class CoreModule {}

@Module({})
export class AppModule {
  static register(deps: ApiModuleDependencies): DynamicModule {
    const core: DynamicModule = {
      module: CoreModule,
      global: true,
      providers: [
        { provide: LEDGER, useValue: deps.ledger },
        { provide: EVENT_STORE, useValue: deps.store },
        { provide: PG_POOL, useValue: deps.pool },
        { provide: TOKEN_VERIFIER, useValue: deps.verifier },
        { provide: RULE_BOOK, useValue: deps.ruleBook },
        { provide: HEALTH_CHECKS, useValue: new HealthChecks() },
        { provide: METRICS, useValue: deps.metrics },
        { provide: API_OPTIONS, useValue: deps.options },
        { provide: AUDIT, useValue: deps.audit },
        { provide: IMPORTS, useValue: deps.imports },
        WritesService,
        AccessService,
      ],
      exports: [HEALTH_CHECKS, LEDGER, EVENT_STORE, PG_POOL, TOKEN_VERIFIER, RULE_BOOK, METRICS, API_OPTIONS, AUDIT, IMPORTS, WritesService, AccessService],
    };
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: deps.logLevel,
            genReqId: requestId,
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
          },
        }),
        core,
        HealthModule,
        MetricsModule,
        CadresModule,
        IncentivesModule,
        AccountabilityModule,
        ToleranceModule,
        AdjustmentsModule,
        UnitsModule,
        NominationsModule,
        DashboardModule,
        EligibilityModule,
        AuditModule,
        StatsModule,
        QueuesModule,
        ImportsModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: WriteInterceptor },
      ],
    };
  }
}
