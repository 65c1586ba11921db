import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Pool } from 'pg';
import type { EventStore } from '@cadre-ledger/event-store';
import { Public } from '../auth/access.decorators';
import { EVENT_STORE, PG_POOL } from '../tokens';
import { HEALTH_CHECKS, type HealthChecks } from './health-checks';

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'unavailable'] })
  status!: 'ok' | 'unavailable';

  @ApiProperty({ description: 'The process answers (liveness)' })
  live!: boolean;

  @ApiProperty({ description: 'The database and the event store answer, and Kafka where this process relays to it (readiness)' })
  ready!: boolean;

  @ApiProperty({ example: { database: 'up', eventStore: 'up', kafka: 'up' }, description: 'kafka only when this process relays to Kafka' })
  checks!: Record<string, 'up' | 'down'>;

  @ApiProperty({
    required: false,
    description: 'What does not count for readiness: `witnesses`, where this process gathers checkpoint cosignatures (each witness\'s state, the largest size it cosigned, its last error)',
    example: { witnesses: [{ witness: 'jw.sx.example/witness+5e6f7a8b', url: 'https://jw.sx.example/witness', state: 'down', cosignedSize: 1200, lastError: 'fetch failed', lastAttemptAt: '2026-12-01T08:00:00.000Z', failures: 3, refusals: 0 }] },
  })
  details?: Record<string, unknown>;
}

const CHECK_TIMEOUT_MS = 2000;

async function probe(check: () => Promise<unknown>): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(HEALTH_CHECKS) private readonly checks: HealthChecks,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness and readiness (database and event store reachable; Kafka, where this process relays to it)' })
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: 'Alive but not ready' })
  async health(@Res() res: Response): Promise<void> {
    const [database, eventStore] = await Promise.all([
      probe(() => this.pool.query('SELECT 1')),
      probe(() => this.store.streamRevision('cadre-health-probe')),
    ]);
    // Kafka, when this process relays to it: its relay's last pass reached the brokers.
    const checks = { database, eventStore, ...this.checks.results() };
    const ready = Object.values(checks).every((check) => check === 'up');
    const details = this.checks.details();
    const body: HealthDto = { status: ready ? 'ok' : 'unavailable', live: true, ready, checks, ...(details ? { details } : {}) };
    res.status(ready ? 200 : 503).setHeader('Cache-Control', 'no-store');
    res.json(body);
  }

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness only: the process answers' })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', example: 'ok' } } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
