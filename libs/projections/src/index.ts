/**
 * @cadre-ledger/projections: the read models (cadre_eligibility, promotion_locks, tolerance_cases,
 * mechanism_touches and the mechanism_stats view) computed with the policy engine, the projector
 * that keeps them in step with the store's global order, and the rebuild that swaps in fresh tables.
 */
export { cadreRows, toleranceCaseRows, adjustmentCaseRows, type CadreRows, type ConflictRow, type ConflictChanges, type EligibilityRow, type LockRow, type ToleranceCaseRow, type TouchRow } from './rows';
export { Projector, LIVE_CHECKPOINT, type ProjectorOptions } from './postgres/projector';
export { rebuildReadModels, REBUILD_CHECKPOINT, type RebuildOptions, type RebuildProgress } from './postgres/rebuild';
export { readModelMigrations, READ_MODEL_MIGRATIONS_NAMESPACE, READ_MODEL_TABLES, REPORTING_SCHEMA, REPORTING_ROLE } from './postgres/schema';
export { migrateReadModels, applyReadModelComments, READ_MODEL_COMMENTS } from './postgres/comments';
export { ConflictDetector, conflictEventId, CONFLICT_ACTOR } from './conflicts/conflict-detector';
export { listEligibility, mechanismStats, mechanismSeries, unitYearFigures, type UnitYearFigures, type MechanismFigures, InvalidCursor, type UnitScope, type EligibilityQuery, type EligibilityPage, type Stats } from './postgres/queries';
export { listUnits, unitDetail, listCases, listLocks, listCadres, listConflicts, listReviewTriggers, CASE_KINDS, type TriggerItem, type UnitItem, type UnitDetail, type CaseItem, type CaseKind, type LockItem, type DirectoryItem, type ConflictItem } from './postgres/lists';
export { unitRow, namePinyin, type UnitRow, type ProfileRow, type FactRow } from './rows';
export { startReadModels, projectionReactions, type ReadModelRuntime, type ReadModelRuntimeOptions } from './runtime';
export { GroupProjector, type GroupProjectorOptions } from './kafka/group-projector';
export { projectionLag, type ProjectionLag } from './lag';
export { encodeCursor, decodeCursor, CURSOR_PART, InvalidCursor as InvalidPageCursor } from './postgres/cursor';
