import type { NextFunction, Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per app instance, so that tests booting several apps never share counters. */
export class Metrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'ledger_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly latency = new Histogram({
    name: 'ledger_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly appends = new Counter({
    name: 'ledger_events_appended_total',
    help: 'Events appended to the event store, by event type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly conflicts = new Counter({
    name: 'ledger_append_conflicts_total',
    help: 'Appends refused because the stream had moved (wrong expected revision), retried or not',
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Projection lag, measured when scraped. Every read model is written by the one projector in
   * the same transaction, so they share one lag; it is reported under each read model's name.
   */
  registerProjectionLag(readModels: readonly string[], measure: () => Promise<{ events: number; seconds: number }>): void {
    let last: Promise<{ events: number; seconds: number }> | null = null;
    // One measurement per scrape, shared by both gauges.
    const current = () => (last ??= measure().finally(() => setImmediate(() => (last = null))));
    new Gauge({
      name: 'ledger_projection_lag_events',
      help: 'Events stored but not yet projected, per read model',
      labelNames: ['read_model'] as const,
      registers: [this.registry],
      async collect() {
        const { events } = await current();
        for (const readModel of readModels) this.set({ read_model: readModel }, events);
      },
    });
    new Gauge({
      name: 'ledger_projection_lag_seconds',
      help: 'Age of the oldest event not yet projected (0 when caught up), per read model',
      labelNames: ['read_model'] as const,
      registers: [this.registry],
      async collect() {
        const { seconds } = await current();
        for (const readModel of readModels) this.set({ read_model: readModel }, seconds);
      },
    });
  }

  /**
   * Express middleware: counts each request when its answer is sent, labelled with the route
   * template express matched (`/v1/cadres/:id/promotions`), never the raw URL, so ids do not
   * explode the label space.
   */
  middleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const stop = process.hrtime.bigint();
      res.on('finish', () => {
        const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
        const labels = { method: req.method, route, status: String(res.statusCode) };
        this.requests.inc(labels);
        this.latency.observe(labels, Number(process.hrtime.bigint() - stop) / 1e9);
      });
      next();
    };
  }
}
