/**
 * Checks added once the process is running (the Kafka relay, when configured): each answers from
 * what the component last saw, without a round trip, and counts for readiness. Details (the
 * witnesses) are shown beside them and never count: a witness down must not take the ledger out.
 */
export class HealthChecks {
  private readonly checks = new Map<string, () => 'up' | 'down'>();
  private readonly detailed = new Map<string, () => unknown>();

  add(name: string, check: () => 'up' | 'down'): void {
    this.checks.set(name, check);
  }

  detail(name: string, read: () => unknown): void {
    this.detailed.set(name, read);
  }

  results(): Record<string, 'up' | 'down'> {
    return Object.fromEntries([...this.checks].map(([name, check]) => [name, check()]));
  }

  details(): Record<string, unknown> | undefined {
    return this.detailed.size === 0 ? undefined : Object.fromEntries([...this.detailed].map(([name, read]) => [name, read()]));
  }
}

export const HEALTH_CHECKS = Symbol('HealthChecks');
