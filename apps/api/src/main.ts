import 'reflect-metadata';
import { startServer } from './bootstrap';
import { serverConfigFromEnv } from './config';

/** `npm start`: the API with zero set-up. SIGINT/SIGTERM close everything, the embedded PostgreSQL last. */
async function main(): Promise<void> {
  const server = await startServer(serverConfigFromEnv());
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`cadre-ledger: ${signal} received, shutting down`);
    server.close().then(
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
  console.error('cadre-ledger failed to start:', error);
  process.exit(1);
});
