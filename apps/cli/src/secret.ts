import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliConfig } from './config';
import { usageError } from './exit-codes';

/** Where the server keeps the secret it generated when `LEDGER_JWT_SECRET` was not set. */
export const JWT_SECRET_FILE = 'jwt-secret';

/**
 * The secret tokens are signed with: `LEDGER_JWT_SECRET`, or the file the server wrote in the data
 * dir. The CLI never generates one: a token signed with a secret the server does not hold is useless.
 */
export function jwtSecret(config: CliConfig): string {
  if (config.auth.jwtSecret) return config.auth.jwtSecret;
  const file = join(config.dataDir, JWT_SECRET_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    throw usageError(`no token secret: set LEDGER_JWT_SECRET, or start the server once so that it writes ${file}`);
  }
  if (!text) throw usageError(`${file} is empty`);
  return text;
}
