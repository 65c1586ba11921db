/**
 * Tests wait on a condition with a deadline, never on a guessed sleep (STYLE.md). One helper for
 * the whole repository; it lives in the platform library because start-up code needs it too.
 */
export { waitUntil as waitFor, type WaitOptions } from '@cadre-ledger/platform';
