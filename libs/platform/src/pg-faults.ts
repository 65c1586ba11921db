import type { Pool, PoolClient } from 'pg';

/**
 * A checked-out pool client has no 'error' listener of the pool's (pg attaches one to idle clients
 * only), so a connection that breaks while it is held (the server killed or restarted) emits an
 * 'error' nobody hears, and Node ends the process. Every checkout goes through here: the error is
 * heard, the query in flight fails with it, and the broken connection is destroyed on release
 * instead of going back to the pool.
 */
export async function withClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    return await work(client);
  } catch (error) {
    if (isDatabaseUnavailable(error)) broken ??= error as Error;
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

/** PostgreSQL SQLSTATE classes and codes that mean "the server is not there (yet)", not "the query is wrong". */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006', '08007', '08P01']);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH']);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Cannot use a pool after calling end on the pool',
];

/**
 * True when `error` says the database cannot be reached (refused, reset, shutting down, starting
 * up, too many connections): the request is not at fault and may be retried (HTTP 503).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_STATES.has(code) || UNAVAILABLE_NODE_CODES.has(code))) return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.includes(m))) return true;
  if (Array.isArray(errors) && errors.some(isDatabaseUnavailable)) return true; // AggregateError of a dual-stack connect
  return cause !== undefined && cause !== error && isDatabaseUnavailable(cause);
}
