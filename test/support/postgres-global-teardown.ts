import { rm } from 'node:fs/promises';
import { GLOBAL_POSTGRES_KEY, type GlobalPostgres } from './postgres-global-setup';

/** Jest globalTeardown of the integration project: stops the run's PostgreSQL and removes its data. */
export default async function stopTestPostgres(): Promise<void> {
  const started = (globalThis as Record<string, unknown>)[GLOBAL_POSTGRES_KEY] as GlobalPostgres | undefined;
  if (!started) return;
  await started.server.stop();
  await rm(started.tempDir, { recursive: true, force: true });
  delete process.env.TEST_DATABASE_URL;
}
