import { createServer, type Server } from 'node:http';
import type { Pool } from 'pg';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { registerRelayMetrics, type KafkaRelayRuntime } from '@cadre-ledger/messaging';
import { registerWitnessMetrics, type CosignatureGatherer } from '@cadre-ledger/audit';
import type { EventStore } from '@cadre-ledger/event-store';
import { Projector, projectionLag } from '@cadre-ledger/projections';

const CHECK_TIMEOUT_MS = 2000;

async function up(check: () => Promise<unknown>): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([check(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS)))]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

export interface OperationsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * The projector service has no API; this answers what an orchestrator and Prometheus ask of it
 * (LEDGER_PROJECTOR_PORT): `/health/live` (the process answers), `/health` (its PostgreSQL and event
 * store are reachable, and Kafka where it relays: ready; the witnesses in `details`, never counted),
 * `/metrics` (projection lag, the relay's lag, errors and retries, the witnesses, and the process's
 * own figures).
 */
export async function startOperationsServer(options: {
  port: number;
  host: string;
  pool: Pool;
  store: EventStore;
  checkpoints: Projector;
  mode: string;
  relay?: KafkaRelayRuntime | null;
  witnessing?: CosignatureGatherer | null;
}): Promise<OperationsServer> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const relay = options.relay ?? null;
  if (relay) registerRelayMetrics(registry, relay);
  const witnessing = options.witnessing ?? null;
  if (witnessing) registerWitnessMetrics(registry, witnessing);
  const lag = () => projectionLag(options.store, options.checkpoints, new Date());
  new Gauge({
    name: 'ledger_projection_lag_events',
    help: 'Events stored but not yet projected into the read models',
    labelNames: ['mode'] as const,
    registers: [registry],
    async collect() {
      this.set({ mode: options.mode }, (await lag()).events);
    },
  });
  new Gauge({
    name: 'ledger_projection_lag_seconds',
    help: 'Age of the oldest event not yet projected (0 when caught up)',
    labelNames: ['mode'] as const,
    registers: [registry],
    async collect() {
      this.set({ mode: options.mode }, (await lag()).seconds);
    },
  });
  const server: Server = createServer((req, res) => {
    const reply = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return reply(405, { status: 'method not allowed' });
    if (path === '/health/live') return reply(200, { status: 'ok' });
    if (path === '/health') {
      void Promise.all([up(() => options.pool.query('SELECT 1')), up(() => options.store.streamRevision('cadre-health-probe'))]).then(([database, eventStore]) => {
        // Kafka, when this process relays to it: the relay's last pass reached the brokers.
        const checks = { database, eventStore, ...(relay ? { kafka: relay.status().up ? ('up' as const) : ('down' as const) } : {}) };
        const ready = Object.values(checks).every((check) => check === 'up');
        reply(ready ? 200 : 503, { status: ready ? 'ok' : 'unavailable', live: true, ready, checks, ...(witnessing ? { details: { witnesses: witnessing.status() } } : {}) });
      });
      return;
    }
    if (path === '/metrics') {
      void registry.metrics().then(
        (text) => reply(200, text, registry.contentType),
        () => reply(503, { status: 'metrics unavailable' }),
      );
      return;
    }
    reply(404, { status: 'not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
