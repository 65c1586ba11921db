/**
 * Waits for a condition with a deadline instead of sleeping for a guessed time (STYLE.md, "Tests
 * say what they prove"). The condition is retried with a short, growing pause between attempts so
 * that a slow condition does not turn into a busy loop.
 */
export interface WaitOptions {
  /** Give up after this many milliseconds. */
  timeoutMs: number;
  /** What we were waiting for, for the error message. */
  description: string;
  /** First pause between attempts; it doubles up to `maxIntervalMs`. */
  intervalMs?: number;
  maxIntervalMs?: number;
}

/**
 * Resolves with the first truthy value `check` returns. A `check` that throws counts as "not yet",
 * and its last error is attached to the timeout error, because "connection refused" while a
 * server boots is the normal case, not a failure.
 */
export async function waitUntil<T>(check: () => Promise<T> | T, options: WaitOptions): Promise<NonNullable<T>> {
  const deadline = Date.now() + options.timeoutMs;
  let interval = options.intervalMs ?? 10;
  const maxInterval = options.maxIntervalMs ?? 250;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `: last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.description}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(interval, Math.max(1, deadline - Date.now()))));
    interval = Math.min(interval * 2, maxInterval);
  }
}
