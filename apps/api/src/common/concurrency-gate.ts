import { ProblemException } from './problem';

/**
 * At most `maxRunning` of one kind of expensive work at a time, at most `maxQueued` waiting for a
 * turn; beyond that the request is answered 503 with Retry-After rather than piling up (a full
 * verification walks the whole store: five at once multiplied its time and memory).
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly what: string,
    private readonly maxRunning: number,
    private readonly maxQueued: number,
    private readonly retryAfterSeconds = 10,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxRunning) {
      if (this.waiting.length >= this.maxQueued) {
        throw new ProblemException(
          503,
          'busy',
          `${this.maxRunning} ${this.what} running and ${this.waiting.length} waiting, the most this server takes; send it again later`,
          {},
          { 'Retry-After': String(this.retryAfterSeconds) },
        );
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the turn passes on: `running` stays the same
      else this.running -= 1;
    }
  }
}
