/**
 * @cadre-ledger/application: the command path and the shared reads over the event-store port,
 * used alike by the HTTP API, the CLI and the projector.
 */
export { Ledger, DEFAULT_MAX_STREAM_EVENTS, type LedgerDependencies, type CommandResult, type CadreProfile, type CadreRead, type WriteOptions } from './ledger';
export { handleCommand, StreamFull, type CommandStreams, type CommandPathContext, type HandleOptions, type Handled, type QuotaClaim } from './handle-command';
export { toFact, toNewEvent } from './facts';
export { loadCadreHistory, loadCadreHistories, unitFactsFor, latestRecordedAt, unitFactsThrough, parentsOf, unitHistory, recordedBy, NOT_READ_BY_RULES } from './history';
export { StreamCache, DEFAULT_STREAM_CACHE_EVENTS, type StreamSnapshot } from './stream-cache';
export { inlineEvaluator, type Evaluator } from './evaluation/evaluator';
export { poolEvaluator, type PoolEvaluatorOptions } from './evaluation/pool';
export { replayCadre, type Replay, type TimelineEntry, type TimelineEffect } from './timeline';
export { dossierCandidate, dossierClauses, dossierConclusion, type Dossier, type DossierCandidate, type DossierClause, type DossierEffect, type DossierFact } from './dossier';
