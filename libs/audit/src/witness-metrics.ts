import { Counter, Gauge, type Registry } from 'prom-client';
import type { CosignatureGatherer } from './cosigning';

/**
 * The witnesses on /metrics, read from the gatherer when scraped: whether each last cosigned, the
 * largest tree size it cosigned, the attempts that found it down (each retried) and its refusals.
 */
export function registerWitnessMetrics(registry: Registry, gatherer: CosignatureGatherer): void {
  const each = (read: (s: ReturnType<CosignatureGatherer['status']>[number]) => number | null) => (set: (labels: { witness: string }, value: number) => void) => {
    for (const status of gatherer.status()) {
      const value = read(status);
      if (value !== null) set({ witness: status.witness }, value);
    }
  };
  new Gauge({
    name: 'ledger_witness_up',
    help: '1 when the witness\'s last answer was a cosignature; 0 when it is down or refused the last checkpoint',
    labelNames: ['witness'] as const,
    registers: [registry],
    collect() {
      this.reset();
      each((s) => (s.state === 'up' ? 1 : 0))((labels, value) => this.set(labels, value));
    },
  });
  new Gauge({
    name: 'ledger_witness_cosigned_tree_size',
    help: 'The largest tree size the witness has cosigned',
    labelNames: ['witness'] as const,
    registers: [registry],
    collect() {
      this.reset();
      each((s) => s.cosignedSize)((labels, value) => this.set(labels, value));
    },
  });
  new Counter({
    name: 'ledger_witness_failures_total',
    help: 'Requests to the witness that failed (unreachable, timed out, 5xx); each is retried',
    labelNames: ['witness'] as const,
    registers: [registry],
    collect() {
      this.reset();
      each((s) => s.failures)((labels, value) => this.inc(labels, value));
    },
  });
  new Counter({
    name: 'ledger_witness_refusals_total',
    help: 'Checkpoints the witness refused (a 4xx: an inconsistent checkpoint, a key it does not trust)',
    labelNames: ['witness'] as const,
    registers: [registry],
    collect() {
      this.reset();
      each((s) => s.refusals)((labels, value) => this.inc(labels, value));
    },
  });
}
