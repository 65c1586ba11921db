/**
 * Checks added once the process is running (the Kafka relay, when configured): each answers from
 * what the component last saw, without a round trip, and counts for readiness.
 */
export class HealthChecks {
  private readonly checks = new Map<string, () => 'up' | 'down'>();

  add(name: string, check: () => 'up' | 'down'): void {
    this.checks.set(name, check);
  }

  results(): Record<string, 'up' | 'down'> {
    return Object.fromEntries([...this.checks].map(([name, check]) => [name, check()]));
  }
}

export const HEALTH_CHECKS = Symbol('HealthChecks');
