/**
 * A service's `main`: start it, and on SIGINT or SIGTERM stop it once and exit (0 when the stop
 * went well). A start that fails exits 1 with the reason.
 */
export function runUntilSignal(name: string, start: () => Promise<{ stop(): Promise<void> }>): void {
  // Handlers first: a SIGTERM that arrives while the process is still starting (after it logged
  // that it runs, before start() resolved) must shut it down cleanly, not kill it outright.
  let signalled: string | undefined;
  let running: { stop(): Promise<void> } | undefined;
  let stopping = false;
  const stop = (signal: string) => {
    signalled ??= signal;
    if (stopping || !running) return;
    stopping = true;
    console.log(`${name}: ${signalled} received, shutting down`);
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
      console.error(`${name} failed to start:`, error);
      process.exit(1);
    },
  );
}
