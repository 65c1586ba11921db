import type { Migration } from '@cadre-ledger/platform';

/** Namespace of the audit tables in `schema_migrations`. */
export const AUDIT_MIGRATIONS_NAMESPACE = 'audit';

/**
 * The ledger-wide log (a Merkle tree over every event in global order), its signed heads, and the
 * read audit: all append-only, refused UPDATE, DELETE and TRUNCATE like the events themselves.
 */
const v1 = `
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'CL403';
END $$;

-- The roots of complete subtrees: (level, idx) covers leaves [idx·2^level, (idx+1)·2^level). Level 0: leaf hashes.
CREATE TABLE ledger_log_nodes (
  level smallint NOT NULL,
  idx bigint NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (level, idx)
);
-- Which event each leaf is (to name what is missing or changed).
CREATE TABLE ledger_log_leaves (
  idx bigint PRIMARY KEY,
  global_position bigint NOT NULL UNIQUE,
  event_id text NOT NULL,
  stream text NOT NULL,
  revision bigint NOT NULL
);
CREATE TABLE ledger_tree_heads (
  tree_size bigint PRIMARY KEY,
  root_hash text NOT NULL,
  last_position bigint NOT NULL,
  hash_algorithm text NOT NULL,
  signed_at text NOT NULL,
  key_id text NOT NULL,
  access_seq bigint NOT NULL,
  access_hash text NOT NULL,
  signature text NOT NULL
);
-- Every read of a cadre's personal data: who, what, when, through which route or command.
CREATE TABLE ledger_access_log (
  seq bigint PRIMARY KEY,
  at text NOT NULL,
  actor text NOT NULL,
  cadre_id text NOT NULL,
  what text NOT NULL,
  via text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX ledger_access_log_cadre ON ledger_access_log (cadre_id, seq);
CREATE INDEX ledger_access_log_actor ON ledger_access_log (actor, seq);
-- Where incremental verification may start: the last head a verification found sound.
CREATE TABLE ledger_verifications (
  verified_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  tree_size bigint NOT NULL,
  root_hash text NOT NULL,
  last_position bigint NOT NULL,
  mode text NOT NULL
);

CREATE TRIGGER ledger_log_nodes_append_only BEFORE UPDATE OR DELETE ON ledger_log_nodes FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER ledger_log_leaves_append_only BEFORE UPDATE OR DELETE ON ledger_log_leaves FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER ledger_tree_heads_append_only BEFORE UPDATE OR DELETE ON ledger_tree_heads FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER ledger_access_log_append_only BEFORE UPDATE OR DELETE ON ledger_access_log FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER ledger_verifications_append_only BEFORE UPDATE OR DELETE ON ledger_verifications FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER ledger_log_nodes_no_truncate BEFORE TRUNCATE ON ledger_log_nodes FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER ledger_log_leaves_no_truncate BEFORE TRUNCATE ON ledger_log_leaves FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER ledger_tree_heads_no_truncate BEFORE TRUNCATE ON ledger_tree_heads FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER ledger_access_log_no_truncate BEFORE TRUNCATE ON ledger_access_log FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
`;

/**
 * The heads as C2SP checkpoints (the note text and the log's signature line), and the witnesses'
 * cosignatures gathered for them: append-only too, so that a witness's word, once stored, stays.
 */
const v2 = `
CREATE TABLE ledger_checkpoints (
  tree_size bigint PRIMARY KEY,
  body text NOT NULL,
  log_signature text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE ledger_cosignatures (
  tree_size bigint NOT NULL REFERENCES ledger_checkpoints (tree_size),
  witness text NOT NULL,
  signature text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (tree_size, witness)
);
CREATE INDEX ledger_cosignatures_witness ON ledger_cosignatures (witness, tree_size);
CREATE TRIGGER ledger_checkpoints_append_only BEFORE UPDATE OR DELETE ON ledger_checkpoints FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER ledger_cosignatures_append_only BEFORE UPDATE OR DELETE ON ledger_cosignatures FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER ledger_checkpoints_no_truncate BEFORE TRUNCATE ON ledger_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER ledger_cosignatures_no_truncate BEFORE TRUNCATE ON ledger_cosignatures FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
`;

export const auditMigrations: readonly Migration[] = [
  { version: 1, name: 'transparency log, tree heads, read audit', sql: v1 },
  { version: 2, name: 'checkpoints and witness cosignatures', sql: v2 },
];
