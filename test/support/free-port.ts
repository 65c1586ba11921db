export { findFreePort } from '@cadre-ledger/platform';
