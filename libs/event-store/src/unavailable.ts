import { isDatabaseUnavailable } from '@cadre-ledger/platform';

/** `@eventstore/db-client`'s error types that mean "the cluster cannot serve this now" (CommandError.ts). */
const ESDB_UNAVAILABLE = new Set(['unavailable', 'deadline-exceeded', 'not-leader', 'cancelled']);

/**
 * True when the store (or the PostgreSQL beside it) cannot be reached: the request was fine and
 * may be sent again later. The API answers 503 with Retry-After, never 500.
 */
export function isStoreUnavailable(error: unknown): boolean {
  if (isDatabaseUnavailable(error)) return true;
  const type = (error as { type?: unknown } | null)?.type;
  return typeof type === 'string' && ESDB_UNAVAILABLE.has(type) && error instanceof Error;
}
