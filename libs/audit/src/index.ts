/**
 * @cadre-ledger/audit: what auditors rely on beyond the per-stream hash chains: the ledger-wide
 * Merkle log with signed tree heads, inclusion and consistency proofs, the read audit, and the
 * verifications that use them.
 */
export * from './merkle';
export * from './signing';
export * from './log';
export * from './proof';
export * from './access-log';
export * from './verify';
export { AUDIT_MIGRATIONS_NAMESPACE, auditMigrations } from './schema';
export * from './runtime';
export * from './note';
export * from './policy';
export * from './checkpoints';
export * from './cosigning';
export * from './witness';
export { writeDurably, originHash } from './witness-state';
export * from './witness-metrics';
export * from './witnessed';
