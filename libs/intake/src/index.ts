/**
 * @cadre-ledger/intake: what goes into the ledger in bulk. Spreadsheets (xlsx, csv) of the facts
 * HR departments keep, read row by row into typed commands; the views both the spreadsheet intake
 * and the NDJSON import decide in, as the streams of the one command path (`viewStreams`: the
 * API's `handleCommand`, whose append step here queues the events in the views); and the batch
 * append of what was accepted, all or nothing by default.
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
