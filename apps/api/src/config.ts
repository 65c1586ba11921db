/**
 * The API reads the one configuration every process shares (`@cadre-ledger/platform`,
 * `loadConfig`): the same variables reach the same database from the API, the projector and the CLI.
 */
export { loadConfig, type LedgerConfig } from '@cadre-ledger/platform';

