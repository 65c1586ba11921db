import { mkdtemp } from 'node:fs/promises';
// Relative import: jest loads globalSetup outside its module registry, where tsconfig paths do not apply.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort, startEmbeddedPostgres, type RunningPostgres } from '../../libs/platform/src';

/**
 * Jest globalSetup of the integration project: ONE embedded PostgreSQL per jest run, on a free
 * port and a temporary data directory. Test files read its maintenance URL from
 * `TEST_DATABASE_URL` and each creates a database of its own (`createTestDatabase`), so files stay
 * independent while sharing one server. A `TEST_DATABASE_URL` already set points the run at an
 * existing server instead, and nothing is started.
 */
export interface GlobalPostgres {
  server: RunningPostgres;
  tempDir: string;
}

export const GLOBAL_POSTGRES_KEY = '__cadreLedgerTestPostgres';

export default async function startTestPostgres(): Promise<void> {
  // Set already: by the caller (an existing server), or by this setup for another project of the run.
  if (process.env.TEST_DATABASE_URL) return;
  const tempDir = await mkdtemp(join(tmpdir(), 'cadre-ledger-test-pg-'));
  let lastError: unknown;
  // The free port may be taken between the probe and the server's bind: try a few.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const port = await findFreePort();
      const server = await startEmbeddedPostgres({ dataDir: join(tempDir, `data-${attempt}`), port });
      (globalThis as Record<string, unknown>)[GLOBAL_POSTGRES_KEY] = { server, tempDir } satisfies GlobalPostgres;
      process.env.TEST_DATABASE_URL = server.url;
      return;
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
