import 'reflect-metadata';
import { runUntilSignal } from '@cadre-ledger/platform';
import { startServer } from './bootstrap';
import { serverConfigFromEnv } from './config';

/** `npm start`: the API with zero set-up. SIGINT/SIGTERM close everything, the embedded PostgreSQL last. */
runUntilSignal('cadre-ledger', async () => {
  const server = await startServer(serverConfigFromEnv());
  return { stop: () => server.close() };
});
