/**
 * @cadre-ledger/projections: the read models, one folder each (row computation, DDL, writes, list
 * queries and comments together): eligibility/ (cadre_eligibility and its Kafka outbox),
 * promotion-locks/, cases/ (tolerance_cases, adjustment_cases), mechanism-touches/ (and the
 * mechanism_stats view), directory/ (cadres, units, cadre_units), facts/, promotion-conflicts/;
 * `cadreRows` puts one cadre's rows together, computed with the policy engine; postgres/ holds the
 * projector that keeps them in step with the store's global order, the rebuild that swaps in fresh
 * tables, the migrations and the figures across read models. Reactions that append (the clock, the
 * conflict detector) are libs/clock's.
 */
export { cadreRows, type CadreRows } from './cadre-rows';
export { type UnitScope } from './read-model';
export { listEligibility, listReviewTriggers, type EligibilityRow, type EligibilityQuery, type EligibilityPage, type TriggerItem } from './eligibility/eligibility';
export { listLocks, type LockRow, type LockItem } from './promotion-locks/promotion-locks';
export { toleranceCaseRows, adjustmentCaseRows, listCases, CASE_KINDS, type ToleranceCaseRow, type AdjustmentCaseRow, type CaseItem, type CaseKind } from './cases/cases';
export { mechanismSeries, type TouchRow, type MechanismFigures } from './mechanism-touches/mechanism-touches';
export { listUnits, unitDetail, listCadres, unitRow, namePinyin, type UnitItem, type UnitDetail, type DirectoryItem, type UnitRow, type ProfileRow } from './directory/directory';
export { type FactRow } from './facts/facts';
export { listConflicts, type ConflictRow, type ConflictChanges, type ConflictItem } from './promotion-conflicts/promotion-conflicts';
export { Projector, LIVE_CHECKPOINT, type ProjectorOptions } from './postgres/projector';
export { rebuildReadModels, REBUILD_CHECKPOINT, type RebuildOptions, type RebuildProgress } from './postgres/rebuild';
export { readModelMigrations, READ_MODEL_MIGRATIONS_NAMESPACE, READ_MODEL_TABLES, REPORTING_SCHEMA, REPORTING_ROLE } from './postgres/schema';
export { migrateReadModels, applyReadModelComments, READ_MODEL_COMMENTS } from './postgres/comments';
export { mechanismStats, unitYearFigures, type UnitYearFigures, InvalidCursor, type Stats } from './postgres/queries';
export { startReadModels, type ReadModelRuntime, type ReadModelRuntimeOptions } from './runtime';
export { GroupProjector, type GroupProjectorOptions } from './kafka/group-projector';
export { projectionLag, type ProjectionLag } from './lag';
export { encodeCursor, decodeCursor, CURSOR_PART, InvalidCursor as InvalidPageCursor } from './postgres/cursor';
