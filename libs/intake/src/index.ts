/**
 * @cadre-ledger/intake: what goes into the ledger in bulk. Spreadsheets (xlsx, csv) of the facts
 * HR departments keep, read row by row into typed commands; and the views and batch engine both the
 * spreadsheet intake and the NDJSON import decide with (the same deciders as the API), all or
 * nothing by default.
 */
export * from './views';
export * from './cells';
export * from './sheets';
export * from './workbook';
export * from './template';
export * from './decide';
export * from './engine';
export { appendPending, pendingOf, type PendingBatch } from './append';
export * from './limits';
export { checkArchive, UnreadableArchive, type ArchiveEntry } from './archive';
export { intakeInChildProcess, IntakeProcessFailed, type IntakeConnection, type IntakeJob } from './isolated';
