import type { Migration } from '@cadre-ledger/platform';

/** Namespace of the read models' rows in `schema_migrations`. */
export const READ_MODEL_MIGRATIONS_NAMESPACE = 'read-models';

/** The read-model tables; a rebuild fills `<name>_next` copies and swaps them in. */
export const READ_MODEL_TABLES = ['cadre_eligibility', 'promotion_locks', 'tolerance_cases', 'mechanism_touches', 'cadre_units', 'adjustment_cases', 'cadres', 'units', 'facts', 'promotion_conflicts'] as const;

/** The schema that holds the read models and nothing else (the internal tables stay in public). */
export const REPORTING_SCHEMA = 'reporting';
/** The read-only role of BI analysts: it may read `reporting` and nothing else. Grant it to a login role. */
export const REPORTING_ROLE = 'cadre_ledger_reporting';

/**
 * The tables, documented for dashboards and `psql` users in docs/bi-and-dashboards.md ("Read
 * models"). `suffix` is '' for the live tables and '_next' for a rebuild's.
 */
export function readModelTables(suffix: string): string {
  return `
CREATE TABLE cadre_eligibility${suffix} (
  cadre_id text PRIMARY KEY,
  unit_id text NOT NULL,
  jurisdiction text NOT NULL,
  as_of date NOT NULL,
  promotable boolean NOT NULL,
  next_lock_end date,
  locks jsonb NOT NULL,
  priorities jsonb NOT NULL,
  review_triggers jsonb NOT NULL,
  conditions jsonb NOT NULL,
  benefits jsonb NOT NULL,
  verdict jsonb NOT NULL,
  revision bigint NOT NULL
);
CREATE INDEX cadre_eligibility${suffix}_unit ON cadre_eligibility${suffix} (unit_id, promotable, cadre_id);
CREATE TABLE promotion_locks${suffix} (
  cadre_id text NOT NULL,
  lock_id text NOT NULL,
  unit_id text NOT NULL,
  kind text NOT NULL,
  rule_id text NOT NULL,
  from_date date NOT NULL,
  until_date date,
  source_event_id text NOT NULL,
  PRIMARY KEY (cadre_id, lock_id)
);
CREATE INDEX promotion_locks${suffix}_until ON promotion_locks${suffix} (until_date);
CREATE TABLE tolerance_cases${suffix} (
  cadre_id text NOT NULL,
  case_id text NOT NULL,
  unit_id text NOT NULL,
  situation text NOT NULL,
  step text NOT NULL,
  outcome text,
  requested_on date NOT NULL,
  last_step_on date NOT NULL,
  days_waiting integer NOT NULL,
  PRIMARY KEY (cadre_id, case_id)
);
CREATE TABLE mechanism_touches${suffix} (
  cadre_id text NOT NULL,
  year integer NOT NULL,
  unit_id text NOT NULL,
  mechanism text NOT NULL CHECK (mechanism IN ('incentive', 'tolerance', 'adjustment')),
  PRIMARY KEY (cadre_id, year, unit_id, mechanism)
);
CREATE TABLE cadre_units${suffix} (
  unit_id text NOT NULL,
  cadre_id text NOT NULL,
  PRIMARY KEY (unit_id, cadre_id)
);`;
}

/** 第十五条 cases and the step each is at (version 3; every table of a rebuild is `readModelTables` plus this). */
export function adjustmentCasesTable(suffix: string): string {
  return `
CREATE TABLE adjustment_cases${suffix} (
  cadre_id text NOT NULL,
  case_id text NOT NULL,
  unit_id text NOT NULL,
  triggers jsonb NOT NULL,
  step text NOT NULL,
  approved boolean,
  reported_on date NOT NULL,
  last_step_on date NOT NULL,
  days_waiting integer NOT NULL,
  PRIMARY KEY (cadre_id, case_id)
);`;
}

/** The directory (version 4): every registered cadre as it stands today, and every registered unit. */
export function directoryTables(suffix: string): string {
  return `
CREATE TABLE cadres${suffix} (
  cadre_id text PRIMARY KEY,
  name text NOT NULL,
  unit_id text NOT NULL,
  jurisdiction text NOT NULL,
  title text,
  position_level text,
  leadership boolean,
  principal boolean NOT NULL DEFAULT false,
  party_secretary boolean NOT NULL DEFAULT false,
  portfolios jsonb NOT NULL DEFAULT '[]',
  managed_by text,
  position_since date NOT NULL,
  registered_on date NOT NULL,
  revision bigint NOT NULL
);
CREATE INDEX cadres${suffix}_unit ON cadres${suffix} (unit_id, cadre_id);
CREATE TABLE units${suffix} (
  unit_id text PRIMARY KEY,
  name text NOT NULL,
  level text NOT NULL,
  parent_unit_id text,
  jurisdiction text NOT NULL,
  registered_on date NOT NULL
);
CREATE INDEX units${suffix}_parent ON units${suffix} (parent_unit_id, unit_id);`;
}

/** Persons touched per year, unit and mechanism (version 1, in public; see REPORTING_STATS_VIEW since version 5). */
export const MECHANISM_STATS_VIEW = `
CREATE VIEW mechanism_stats AS
  SELECT year, unit_id, mechanism, count(DISTINCT cadre_id)::integer AS persons
  FROM mechanism_touches GROUP BY year, unit_id, mechanism`;

/** Persons touched per year, unit and mechanism: a view, recreated whenever the tables are swapped. */
export const REPORTING_STATS_VIEW = `
CREATE VIEW reporting.mechanism_stats AS
  SELECT year, unit_id, mechanism, count(DISTINCT cadre_id)::integer AS persons
  FROM reporting.mechanism_touches GROUP BY year, unit_id, mechanism`;

/** The 选人用人 audit per unit and year: a view, recreated whenever the tables are swapped. */
export const REPORTING_CONFLICTS_VIEW = `
CREATE VIEW reporting.promotion_conflicts_per_unit_year AS
  SELECT unit_id, extract(year FROM promoted_on)::integer AS year, count(*)::integer AS conflicts,
         count(DISTINCT cadre_id)::integer AS persons, (count(*) FILTER (WHERE NOT known_at_promotion))::integer AS retroactive
  FROM reporting.promotion_conflicts GROUP BY unit_id, extract(year FROM promoted_on)`;

/** The views over the read models (dropped before a rebuild's swap, created again after it). */
export const REPORTING_VIEWS: readonly { name: string; sql: string }[] = [
  { name: 'mechanism_stats', sql: REPORTING_STATS_VIEW },
  { name: 'promotion_conflicts_per_unit_year', sql: REPORTING_CONFLICTS_VIEW },
];

/**
 * Version 6, as shipped: the 选人用人 audit's pairs (a promotion inside a lock, as everything
 * stored tells it) and their count per unit and year; the projector goes through the store again
 * to fill them.
 */
const V6_CONFLICTS = `
CREATE TABLE reporting.promotion_conflicts (
  cadre_id text NOT NULL,
  promotion_event_id text NOT NULL,
  lock_id text NOT NULL,
  unit_id text NOT NULL,
  promoted_on date NOT NULL,
  promotion_recorded_at timestamptz NOT NULL,
  kind text NOT NULL,
  rule_id text NOT NULL,
  from_date date NOT NULL,
  until_date date,
  source_event_id text NOT NULL,
  citation jsonb NOT NULL,
  known_at_promotion boolean NOT NULL,
  lock_recorded_at timestamptz NOT NULL,
  PRIMARY KEY (cadre_id, promotion_event_id, lock_id)
);
CREATE INDEX promotion_conflicts_unit_date ON reporting.promotion_conflicts (unit_id, promoted_on, cadre_id, promotion_event_id, lock_id);
CREATE INDEX promotion_conflicts_date ON reporting.promotion_conflicts (promoted_on, cadre_id, promotion_event_id, lock_id);
${REPORTING_CONFLICTS_VIEW};
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cadre_ledger_reporting') THEN
    GRANT SELECT ON reporting.promotion_conflicts, reporting.promotion_conflicts_per_unit_year TO cadre_ledger_reporting;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'cadre_ledger_reporting not granted the conflicts: the migrating user may not grant';
END $$;
UPDATE projection_checkpoints SET position = 0, updated_at = clock_timestamp() WHERE name = 'read-models';`;

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
    sql: `CREATE TABLE eligibility_outbox (
  seq bigserial PRIMARY KEY,
  cadre_id text NOT NULL,
  unit_id text NOT NULL,
  verdict jsonb NOT NULL
);`,
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
