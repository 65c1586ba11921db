/**
 * A service's `main`: start it, and on SIGINT or SIGTERM stop it once and exit (0 when the stop
 * went well). A start that fails exits 1 with the reason.
 */
export function runUntilSignal(name: string, start: () => Promise<{ stop(): Promise<void> }>): void {
  start().then(
    (running) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`${name}: ${signal} received, shutting down`);
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
    },
    (error: unknown) => {
      console.error(`${name} failed to start:`, error);
      process.exit(1);
    },
  );
}
