/**
 * The hash functions a store may be created with: SHA-256, or 国密 SM3 (GB/T 32905, in Node's
 * OpenSSL). Said once, here: the configuration (`LEDGER_HASH_ALGORITHM`) checks against it, the
 * event store hashes with it, the audit signs with it.
 */
export const HASH_ALGORITHMS = ['sha256', 'sm3'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];
