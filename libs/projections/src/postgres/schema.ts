import type { Migration } from '@cadre-ledger/platform';

/** Namespace of the read models' rows in `schema_migrations`. */
export const READ_MODEL_MIGRATIONS_NAMESPACE = 'read-models';

/** The read-model tables; a rebuild fills `<name>_next` copies and swaps them in. */
export const READ_MODEL_TABLES = ['cadre_eligibility', 'promotion_locks', 'tolerance_cases', 'mechanism_touches', 'cadre_units', 'adjustment_cases'] as const;

/**
 * The tables, documented for dashboards and `psql` users in README.md ("Read models"). `suffix`
 * is '' for the live tables and '_next' for a rebuild's.
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

/** Persons touched per year, unit and mechanism: a view, recreated whenever the tables are swapped. */
export const MECHANISM_STATS_VIEW = `
CREATE VIEW mechanism_stats AS
  SELECT year, unit_id, mechanism, count(DISTINCT cadre_id)::integer AS persons
  FROM mechanism_touches GROUP BY year, unit_id, mechanism`;

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
];
