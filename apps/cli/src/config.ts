import { ConfigError, loadConfig, type LedgerConfig } from '@cadre-ledger/platform';
import { usageError } from './exit-codes';

/**
 * The CLI reads the one configuration of every process (`loadConfig`), so that `ledger …` run next
 * to `npm start` (or beside a deployment, with its variables) sees the same ledger: the same
 * database from the same variables. A bad variable is a usage error (exit 2) naming it.
 */
export type CliConfig = LedgerConfig;

export function cliConfigFromEnv(env: NodeJS.ProcessEnv = process.env): CliConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw usageError(error.message);
    throw error;
  }
}
