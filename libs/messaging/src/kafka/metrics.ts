import { Counter, Gauge, type Registry } from 'prom-client';
import type { KafkaRelayRuntime } from './relay-runtime';

/**
 * The relay on /metrics: how far the events topics trail the store (events and seconds), and the
 * publish errors, the retries after them and what was published, read from the relay when scraped.
 */
export function registerRelayMetrics(registry: Registry, relay: KafkaRelayRuntime): void {
  let lag: Promise<{ events: number; seconds: number }> | null = null;
  // One lag query per scrape, shared by both gauges.
  const measure = () => (lag ??= relay.lag().finally(() => setTimeout(() => (lag = null), 0)));
  new Gauge({
    name: 'ledger_kafka_relay_lag_events',
    help: 'Events stored that the relay has not yet published (counted up to 10,000)',
    registers: [registry],
    async collect() {
      this.set((await measure()).events);
    },
  });
  new Gauge({
    name: 'ledger_kafka_relay_lag_seconds',
    help: 'Age of the oldest event the relay has not yet published; 0 when caught up',
    registers: [registry],
    async collect() {
      this.set((await measure()).seconds);
    },
  });
  const fromStatus = (name: string, help: string, read: (s: ReturnType<KafkaRelayRuntime['status']>) => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read(relay.status()));
      },
    });
  fromStatus('ledger_kafka_publish_errors_total', 'Relay passes that failed to publish (each retried by the next pass)', (s) => s.publishErrors);
  fromStatus('ledger_kafka_publish_retries_total', 'Relay passes that ran again after a failed one', (s) => s.retries);
  new Counter({
    name: 'ledger_kafka_published_total',
    help: 'Messages published by the relay, by what they are',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      const s = relay.status();
      this.reset();
      this.inc({ kind: 'events' }, s.eventsPublished);
      this.inc({ kind: 'verdicts' }, s.verdictsPublished);
      this.inc({ kind: 'stats' }, s.statsPublished);
    },
  });
  new Gauge({
    name: 'ledger_kafka_up',
    help: '1 when the relay\'s last pass reached the brokers, 0 after a failed one',
    registers: [registry],
    collect() {
      this.set(relay.status().up ? 1 : 0);
    },
  });
}
