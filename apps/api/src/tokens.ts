/** Injection tokens of the API's dependencies (see app.module.ts). */
export const LEDGER = Symbol('Ledger');
export const EVENT_STORE = Symbol('EventStore');
export const PG_POOL = Symbol('PgPool');
export const JWT_KEY = Symbol('JwtKey');
export const METRICS = Symbol('Metrics');
