import 'reflect-metadata';
import { loadConfig, runUntilSignal } from '@cadre-ledger/platform';
import { startServer } from './bootstrap';

/**
 * `npm start` (and `start:prod` from dist/): the API, with the projector, clock and relay in the
 * same process, on the embedded PostgreSQL unless DATABASE_URL says otherwise. SIGINT/SIGTERM
 * drain HTTP, let the projector commit its batch, and close everything, the embedded PostgreSQL last.
 */
runUntilSignal('cadre-ledger', async () => {
  const config = loadConfig();
  const server = await startServer(config);
  return { stop: () => server.close(), timeoutMs: config.http.shutdownTimeoutMs + 5_000 };
});
