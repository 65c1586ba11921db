import { ConfigError } from './config';

/**
 * A service's `main`: start it, and on SIGINT or SIGTERM stop it once and exit (0 when the stop
 * went well, 1 when it failed or outlasted `timeoutMs`). A start that fails exits 1 with the
 * reason; a bad configuration exits 2, listing every bad variable.
 */
export function runUntilSignal(name: string, start: () => Promise<{ stop(): Promise<void>; timeoutMs?: number }>): void {
  // Handlers first: a SIGTERM that arrives while the process is still starting (after it logged
  // that it runs, before start() resolved) must shut it down cleanly, not kill it outright.
  let signalled: string | undefined;
  let running: { stop(): Promise<void>; timeoutMs?: number } | undefined;
  let stopping = false;
  const stop = (signal: string) => {
    signalled ??= signal;
    if (stopping || !running) return;
    stopping = true;
    console.log(`${name}: ${signalled} received, shutting down`);
    if (running.timeoutMs !== undefined) {
      setTimeout(() => {
        console.error(`${name}: shutdown took longer than ${running?.timeoutMs} ms; exiting anyway`);
        process.exit(1);
      }, running.timeoutMs).unref();
    }
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  start().then(
    (started) => {
      running = started;
      if (signalled) stop(signalled);
    },
    (error: unknown) => {
      if (error instanceof ConfigError) {
        console.error(`${name}: ${error.message}`);
        process.exit(2);
      }
      console.error(`${name} failed to start:`, error);
      process.exit(1);
    },
  );
}
