import { rm } from 'node:fs/promises';
import { GLOBAL_POSTGRES_KEY, type GlobalPostgres } from './postgres-global-setup';

/**
 * Jest globalTeardown (integration and e2e projects): stops the run's PostgreSQL and removes its
 * data. Registered by two projects, it runs twice in a full run; the second finds nothing to do.
 */
export default async function stopTestPostgres(): Promise<void> {
  const globals = globalThis as Record<string, unknown>;
  const started = globals[GLOBAL_POSTGRES_KEY] as GlobalPostgres | undefined;
  if (!started) return;
  delete globals[GLOBAL_POSTGRES_KEY];
  await started.server.stop();
  await rm(started.tempDir, { recursive: true, force: true });
  delete process.env.TEST_DATABASE_URL;
}
