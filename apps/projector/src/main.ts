import { startProjectorProcess } from './projector';

/** `npm run start:projector`: read models, clock and relay without the HTTP API. */
async function main(): Promise<void> {
  const running = await startProjectorProcess(process.env, (line) => console.log(line));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`cadre-ledger projector: ${signal} received, shutting down`);
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
}

main().catch((error: unknown) => {
  console.error('cadre-ledger projector failed to start:', error);
  process.exit(1);
});
