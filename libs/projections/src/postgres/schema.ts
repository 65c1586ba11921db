import type { Migration } from '@cadre-ledger/platform';
import { ELIGIBILITY_OUTBOX_TABLE, ELIGIBILITY_TABLE } from '../eligibility/eligibility';
import { PROMOTION_LOCKS_TABLE } from '../promotion-locks/promotion-locks';
import { TOLERANCE_CASES_TABLE, adjustmentCasesTable } from '../cases/cases';
import { MECHANISM_STATS_VIEW, MECHANISM_TOUCHES_TABLE, REPORTING_STATS_VIEW } from '../mechanism-touches/mechanism-touches';
import { CADRE_UNITS_TABLE, directoryTables } from '../directory/directory';
import { REPORTING_CONFLICTS_VIEW, V6_CONFLICTS } from '../promotion-conflicts/promotion-conflicts';

/** Namespace of the read models' rows in `schema_migrations`. */
export const READ_MODEL_MIGRATIONS_NAMESPACE = 'read-models';

/** The read-model tables; a rebuild fills `<name>_next` copies and swaps them in. */
export const READ_MODEL_TABLES = ['cadre_eligibility', 'promotion_locks', 'tolerance_cases', 'mechanism_touches', 'cadre_units', 'adjustment_cases', 'cadres', 'units', 'facts', 'promotion_conflicts'] as const;

/** The schema that holds the read models and nothing else (the internal tables stay in public). */
export const REPORTING_SCHEMA = 'reporting';
/** The read-only role of BI analysts: it may read `reporting` and nothing else. Grant it to a login role. */
export const REPORTING_ROLE = 'cadre_ledger_reporting';

/**
 * The tables of version 1, as shipped: each read model's own DDL (its folder), in the order they
 * were created, documented for dashboards and `psql` users in docs/bi-and-dashboards.md ("Read
 * models"). `suffix` is '' for the live tables and '_next' for a rebuild's.
 */
function readModelTables(suffix: string): string {
  return [ELIGIBILITY_TABLE, PROMOTION_LOCKS_TABLE, TOLERANCE_CASES_TABLE, MECHANISM_TOUCHES_TABLE, CADRE_UNITS_TABLE].map((table) => table(suffix)).join('');
}

/** The views over the read models (dropped before a rebuild's swap, created again after it). */
export const REPORTING_VIEWS: readonly { name: string; sql: string }[] = [
  { name: 'mechanism_stats', sql: REPORTING_STATS_VIEW },
  { name: 'promotion_conflicts_per_unit_year', sql: REPORTING_CONFLICTS_VIEW },
];

/**
 * Version 5, as shipped (never edited): the read models move to the schema `reporting`; the
 * directory gains pinyin, unit names and the unit hierarchy; `facts` holds every fact with its
 * effective date as a date; the read-only role is created where the migrating user may create roles
 * (otherwise an administrator creates it: docs/operations.md) and granted `reporting` alone. The
 * projector then goes through the store again, the old rows serving meanwhile.
 */
const V5_REPORTING = `
CREATE SCHEMA IF NOT EXISTS reporting;
DROP VIEW IF EXISTS mechanism_stats;
ALTER TABLE cadre_eligibility SET SCHEMA reporting;
ALTER TABLE promotion_locks SET SCHEMA reporting;
ALTER TABLE tolerance_cases SET SCHEMA reporting;
ALTER TABLE mechanism_touches SET SCHEMA reporting;
ALTER TABLE cadre_units SET SCHEMA reporting;
ALTER TABLE adjustment_cases SET SCHEMA reporting;
ALTER TABLE cadres SET SCHEMA reporting;
ALTER TABLE units SET SCHEMA reporting;
ALTER TABLE reporting.cadres
  ADD COLUMN name_pinyin text NOT NULL DEFAULT '',
  ADD COLUMN name_initials text NOT NULL DEFAULT '',
  ADD COLUMN unit_name text;
CREATE INDEX cadres_pinyin ON reporting.cadres (name_pinyin text_pattern_ops);
CREATE INDEX cadres_initials ON reporting.cadres (name_initials text_pattern_ops);
ALTER TABLE reporting.units
  ADD COLUMN effective_level text,
  ADD COLUMN path_ids text[] NOT NULL DEFAULT '{}',
  ADD COLUMN path_names text[] NOT NULL DEFAULT '{}';
CREATE TABLE reporting.facts (
  event_id text PRIMARY KEY,
  cadre_id text NOT NULL,
  revision bigint NOT NULL,
  type text NOT NULL,
  effective_at date NOT NULL,
  recorded_at timestamptz NOT NULL,
  unit_id text,
  kind text,
  document_ref text,
  actor text NOT NULL,
  retracted boolean NOT NULL DEFAULT false
);
CREATE INDEX facts_cadre ON reporting.facts (cadre_id, revision);
CREATE INDEX facts_unit_date ON reporting.facts (unit_id, effective_at);
CREATE VIEW reporting.mechanism_stats AS
  SELECT year, unit_id, mechanism, count(DISTINCT cadre_id)::integer AS persons
  FROM reporting.mechanism_touches GROUP BY year, unit_id, mechanism;
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cadre_ledger_reporting') THEN
    CREATE ROLE cadre_ledger_reporting NOLOGIN;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'cadre_ledger_reporting not created: the migrating user may not create roles';
END $$;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cadre_ledger_reporting') THEN
    GRANT USAGE ON SCHEMA reporting TO cadre_ledger_reporting;
    GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO cadre_ledger_reporting;
    ALTER DEFAULT PRIVILEGES IN SCHEMA reporting GRANT SELECT ON TABLES TO cadre_ledger_reporting;
  END IF;
END $$;
UPDATE projection_checkpoints SET position = 0, updated_at = clock_timestamp() WHERE name = 'read-models';`;

export const readModelMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'read models, their view and the projection checkpoints',
    sql: `${readModelTables('')};
${MECHANISM_STATS_VIEW};
CREATE TABLE projection_checkpoints (
  name text PRIMARY KEY,
  position bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);`,
  },
  {
    version: 2,
    name: 'eligibility outbox for the Kafka relay',
    // Written in the projector's transaction when Kafka is on; the relay publishes and deletes.
    sql: ELIGIBILITY_OUTBOX_TABLE,
  },
  {
    version: 3,
    name: 'adjustment cases (陕西 能上能下办法 第十五条)',
    sql: adjustmentCasesTable(''),
  },
  {
    version: 4,
    name: 'the directory: cadres and units',
    // The projector goes through the store again from the start (replacing each cadre's rows as it
    // goes, the old rows serving meanwhile), so the new tables fill on an existing ledger too.
    sql: `${directoryTables('')};
UPDATE projection_checkpoints SET position = 0, updated_at = clock_timestamp() WHERE name = 'read-models';`,
  },
  { version: 5, name: 'the reporting schema: read models only, commented, a read-only role; pinyin, unit hierarchy, facts', sql: V5_REPORTING },
  { version: 6, name: '选人用人 audit: promotions inside a lock, and their count per unit and year', sql: V6_CONFLICTS },
];
