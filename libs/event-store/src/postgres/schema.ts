import type { Migration } from '@cadre-ledger/platform';

/** Namespace of the event store's rows in `schema_migrations`. */
export const EVENT_STORE_MIGRATIONS_NAMESPACE = 'event-store';

/**
 * Bits of `global_position` given to the event's index inside its writing transaction; the rest
 * hold the transaction id. 12 bits: at most 4096 events per transaction, and 2^41 transaction ids
 * (about 2.2 × 10^12) before a position passes `Number.MAX_SAFE_INTEGER`.
 */
export const POSITION_TX_SHIFT = 12;
export const MAX_EVENTS_PER_APPEND = 1 << POSITION_TX_SHIFT;

/**
 * Why global positions come from the transaction id (gap-free global order for readers):
 * a sequence hands out numbers when rows are inserted, not when they commit, so a reader that
 * has seen position 11 may later find position 10 committed by a slower writer, and a reader that
 * advanced past 10 would skip it forever. Here the position is `xid << 12 | index within the
 * transaction`, and readers see only rows whose xid is below `pg_snapshot_xmin` of their snapshot:
 * every transaction below it has finished, and every transaction that writes later gets a larger
 * xid. So once a reader has seen position P, nothing can ever commit at or below P. The price: an
 * open writing transaction anywhere in the cluster holds readers back until it ends (keep
 * transactions short; prepared transactions would hold them indefinitely).
 */
const v1Events = `
CREATE TABLE ledger_events (
  global_position bigint PRIMARY KEY CHECK (global_position > 0),
  stream text NOT NULL,
  revision bigint NOT NULL CHECK (revision >= 0),
  event_id text NOT NULL,
  type text NOT NULL,
  schema_version integer NOT NULL,
  effective_at text NOT NULL,
  actor text NOT NULL,
  document_ref text,
  data jsonb NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  recorded_at timestamptz NOT NULL,
  CONSTRAINT ledger_events_stream_revision_key UNIQUE (stream, revision),
  CONSTRAINT ledger_events_event_id_key UNIQUE (event_id)
);

-- Stored events are evidence: the table refuses UPDATE, DELETE and TRUNCATE. (The hash chain
-- still catches a change made with the trigger disabled; this stops the accidental ones.)
CREATE FUNCTION ledger_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_events is append-only: % refused', TG_OP USING ERRCODE = 'CL403';
END $$;
CREATE TRIGGER ledger_events_append_only BEFORE UPDATE OR DELETE ON ledger_events
  FOR EACH ROW EXECUTE FUNCTION ledger_events_refuse_change();
CREATE TRIGGER ledger_events_no_truncate BEFORE TRUNCATE ON ledger_events
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_events_refuse_change();

-- Added to transaction ids before they become positions. 0 on a new database; raised at start-up
-- when the events came from another cluster (pg_dump and restore), whose transaction ids ran
-- higher than this one's: see position-epoch.ts. Replaced, never edited by hand.
CREATE FUNCTION ledger_xid_offset() RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT 0::bigint $$;

-- The highest position a reader may see now (exclusive): see POSITION_TX_SHIFT.
CREATE FUNCTION ledger_visible_below() RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT (pg_snapshot_xmin(pg_current_snapshot())::text::bigint + ledger_xid_offset()) << ${POSITION_TX_SHIFT}
$$;

CREATE FUNCTION ledger_format_time(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

-- One append in one round trip. p_expected: a revision, -1 for 'no-stream', -2 for 'any'.
-- The caller sends each event's canonical JSON (RFC 8785) cut around the revision, which only the
-- database knows for 'any': hash = sha256(prev_hash || head || revision || tail), as hash-chain.ts.
-- Answers one row: the first position and revision, the new hashes and the recordedAt; the caller
-- already holds the rest of each event. If any of the event ids is already stored, nothing is
-- written and the row says existing = true: the caller reads those events and decides whether the
-- append is an idempotent re-send or a conflict.
CREATE FUNCTION ledger_append(
  p_stream text, p_expected bigint, p_event_ids text[], p_types text[], p_schema_versions integer[],
  p_effective_ats text[], p_actors text[], p_document_refs text[], p_data jsonb[],
  p_canonical_heads text[], p_canonical_tails text[], p_check_existing boolean,
  p_guessed_prev_hash text, p_guessed_hashes text[]
) RETURNS TABLE (
  existing boolean, first_position bigint, first_revision bigint, prev_hash text, hashes text[], recorded_at text
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  n integer := cardinality(p_event_ids);
  head_revision bigint;
  head_hash text;
  head_recorded timestamptz;
  new_hashes text[] := '{}';
  prevs text[] := '{}';
  h text;
  base bigint;
  first_pos bigint;
  recorded timestamptz;
BEGIN
  -- Checked only on a second attempt (after a revision conflict or a duplicate id from the first),
  -- so the common append does not pay for the lookup.
  IF p_check_existing AND EXISTS (SELECT 1 FROM ledger_events e WHERE e.event_id = ANY (p_event_ids)) THEN
    RETURN QUERY SELECT true, NULL::bigint, NULL::bigint, NULL::text, NULL::text[], NULL::text;
    RETURN;
  END IF;

  SELECT e.revision, e.hash, e.recorded_at INTO head_revision, head_hash, head_recorded
    FROM ledger_events e WHERE e.stream = p_stream ORDER BY e.revision DESC LIMIT 1;
  IF NOT FOUND THEN
    head_revision := -1;
    head_hash := repeat('0', 64);
  END IF;
  IF p_expected <> -2 AND p_expected <> head_revision THEN
    RAISE EXCEPTION 'wrong expected revision' USING ERRCODE = 'CL409', DETAIL = head_revision::text;
  END IF;

  -- The caller may send the chain already computed from the head it last saw; taken only if that
  -- head is still the stream's head (its hash covers stream and revision), else computed here. A
  -- caller that sent hashes sends no canonical JSON (half the bytes): if its head is stale, it is
  -- told so (CL428) and sends the canonical JSON on its second attempt.
  IF p_guessed_hashes IS NOT NULL AND p_guessed_prev_hash = head_hash AND cardinality(p_guessed_hashes) = n THEN
    new_hashes := p_guessed_hashes;
    prevs := array_prepend(head_hash, p_guessed_hashes[1 : n - 1]);
  ELSIF p_canonical_heads IS NULL THEN
    RAISE EXCEPTION 'stale stream head' USING ERRCODE = 'CL428';
  ELSE
    h := head_hash;
    FOR i IN 1 .. n LOOP
      prevs[i] := h;
      h := encode(sha256(convert_to(h || p_canonical_heads[i] || (head_revision + i)::text || p_canonical_tails[i], 'UTF8')), 'hex');
      new_hashes[i] := h;
    END LOOP;
  END IF;

  -- A transaction may append more than once: a transaction-local setting remembers where its
  -- previous append stopped (it vanishes at commit or rollback).
  base := (pg_current_xact_id()::text::bigint + ledger_xid_offset()) << ${POSITION_TX_SHIFT};
  first_pos := coalesce(nullif(current_setting('ledger.next_position', true), '')::bigint, base);
  IF first_pos < base THEN
    first_pos := base;
  END IF;
  PERFORM set_config('ledger.next_position', (first_pos + n)::text, true);
  IF first_pos + n > base + ${MAX_EVENTS_PER_APPEND} THEN
    RAISE EXCEPTION 'at most ${MAX_EVENTS_PER_APPEND} events per transaction' USING ERRCODE = 'CL413';
  END IF;

  -- The database clock, read as late as possible before commit; strictly after the stream's
  -- previous event so that a knownAt read of a stream is always a prefix of it.
  recorded := greatest(clock_timestamp(), head_recorded + interval '1 microsecond');
  INSERT INTO ledger_events AS e (global_position, stream, revision, event_id, type, schema_version, effective_at,
    actor, document_ref, data, prev_hash, hash, recorded_at)
  SELECT first_pos + u.ord - 1, p_stream, head_revision + u.ord, u.event_id, u.type, u.schema_version,
    u.effective_at, u.actor, u.document_ref, u.data, u.prev_hash, u.hash, recorded
  FROM unnest(p_event_ids, p_types, p_schema_versions, p_effective_ats, p_actors, p_document_refs, p_data, prevs, new_hashes)
    WITH ORDINALITY AS u(event_id, type, schema_version, effective_at, actor, document_ref, data, prev_hash, hash, ord);
  RETURN QUERY SELECT false, first_pos, head_revision + 1, head_hash, new_hashes, ledger_format_time(recorded);
END $$;
`;

/**
 * Version 2: the chain hash is computed in one place, the writer (hash-chain.ts), never in SQL;
 * every event records its hash format; the store records the hash algorithm it was created with.
 * Events stored before keep format `v1` (the column's default), and the meta row says up to which
 * position that was, once.
 */
const v2HashFormats = `
ALTER TABLE ledger_events ADD COLUMN hash_format text NOT NULL DEFAULT 'v1';

CREATE TABLE ledger_store_meta (
  name text PRIMARY KEY,
  value text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TRIGGER ledger_store_meta_append_only BEFORE UPDATE OR DELETE ON ledger_store_meta
  FOR EACH ROW EXECUTE FUNCTION ledger_events_refuse_change();
INSERT INTO ledger_store_meta (name, value)
  SELECT 'v1-events-until-position', max(global_position)::text FROM ledger_events HAVING count(*) > 0;

-- One append in one round trip. The caller computed prev_hash and hashes from the head it names
-- (p_head_revision, -1 for none): if that is not the stream's head any more, nothing is written
-- and CL428 says so; the caller reads the head and hashes again. p_expected: a revision, -1 for
-- 'no-stream', -2 for 'any'. If any event id is already stored and p_check_existing, the row says
-- existing = true and the caller decides between an idempotent re-send and a conflict.
CREATE FUNCTION ledger_append_v2(
  p_stream text, p_expected bigint, p_event_ids text[], p_types text[], p_schema_versions integer[],
  p_effective_ats text[], p_actors text[], p_document_refs text[], p_data jsonb[],
  p_check_existing boolean, p_head_revision bigint, p_prev_hash text, p_hashes text[], p_hash_format text
) RETURNS TABLE (
  existing boolean, first_position bigint, first_revision bigint, recorded_at text
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  n integer := cardinality(p_event_ids);
  head_revision bigint;
  head_hash text;
  head_recorded timestamptz;
  prevs text[];
  base bigint;
  first_pos bigint;
  recorded timestamptz;
BEGIN
  IF p_check_existing AND EXISTS (SELECT 1 FROM ledger_events e WHERE e.event_id = ANY (p_event_ids)) THEN
    RETURN QUERY SELECT true, NULL::bigint, NULL::bigint, NULL::text;
    RETURN;
  END IF;

  SELECT e.revision, e.hash, e.recorded_at INTO head_revision, head_hash, head_recorded
    FROM ledger_events e WHERE e.stream = p_stream ORDER BY e.revision DESC LIMIT 1;
  IF NOT FOUND THEN
    head_revision := -1;
    head_hash := repeat('0', 64);
  END IF;
  IF p_expected <> -2 AND p_expected <> head_revision THEN
    RAISE EXCEPTION 'wrong expected revision' USING ERRCODE = 'CL409', DETAIL = head_revision::text;
  END IF;
  IF head_revision <> p_head_revision OR head_hash <> p_prev_hash OR cardinality(p_hashes) <> n THEN
    RAISE EXCEPTION 'stale stream head' USING ERRCODE = 'CL428', DETAIL = head_revision::text;
  END IF;
  prevs := array_prepend(head_hash, p_hashes[1 : n - 1]);

  base := (pg_current_xact_id()::text::bigint + ledger_xid_offset()) << ${POSITION_TX_SHIFT};
  first_pos := coalesce(nullif(current_setting('ledger.next_position', true), '')::bigint, base);
  IF first_pos < base THEN
    first_pos := base;
  END IF;
  PERFORM set_config('ledger.next_position', (first_pos + n)::text, true);
  IF first_pos + n > base + ${MAX_EVENTS_PER_APPEND} THEN
    RAISE EXCEPTION 'at most ${MAX_EVENTS_PER_APPEND} events per transaction' USING ERRCODE = 'CL413';
  END IF;

  recorded := greatest(clock_timestamp(), head_recorded + interval '1 microsecond');
  INSERT INTO ledger_events AS e (global_position, stream, revision, event_id, type, schema_version, effective_at,
    actor, document_ref, data, prev_hash, hash, hash_format, recorded_at)
  SELECT first_pos + u.ord - 1, p_stream, head_revision + u.ord, u.event_id, u.type, u.schema_version,
    u.effective_at, u.actor, u.document_ref, u.data, u.prev_hash, u.hash, p_hash_format, recorded
  FROM unnest(p_event_ids, p_types, p_schema_versions, p_effective_ats, p_actors, p_document_refs, p_data, prevs, p_hashes)
    WITH ORDINALITY AS u(event_id, type, schema_version, effective_at, actor, document_ref, data, prev_hash, hash, ord);
  RETURN QUERY SELECT false, first_pos, head_revision + 1, ledger_format_time(recorded);
END $$;

-- The v1 function hashed in SQL: a second copy of the hash rule. Gone.
DROP FUNCTION ledger_append(text, bigint, text[], text[], integer[], text[], text[], text[], jsonb[], text[], text[], boolean, text, text[]);
`;

/**
 * Version 3: several streams appended in one statement (the port's `appendToStreams`): each part
 * is the same `ledger_append_v2` call a single append makes, one after the other in the statement's
 * transaction, so they are all stored or none is, and a part's positions follow the previous
 * part's. A part that fails ends the statement; its number (from 1) is in the error's HINT.
 */
const v3AppendBatch = `
CREATE FUNCTION ledger_append_batch(
  p_streams text[], p_expected bigint[], p_counts integer[], p_head_revisions bigint[], p_prev_hashes text[],
  p_event_ids text[], p_types text[], p_schema_versions integer[], p_effective_ats text[], p_actors text[],
  p_document_refs text[], p_data jsonb[], p_hashes text[], p_hash_format text
) RETURNS TABLE (part integer, first_position bigint, recorded_at text) LANGUAGE plpgsql AS $$
DECLARE
  offs integer := 0;
  n integer;
  i integer := 0;
  r record;
  v_state text;
  v_message text;
  v_detail text;
  v_constraint text;
BEGIN
  BEGIN
    FOR k IN 1 .. coalesce(cardinality(p_streams), 0) LOOP
      i := k;
      n := p_counts[k];
      SELECT * INTO r FROM ledger_append_v2(p_streams[k], p_expected[k], p_event_ids[offs + 1 : offs + n], p_types[offs + 1 : offs + n],
        p_schema_versions[offs + 1 : offs + n], p_effective_ats[offs + 1 : offs + n], p_actors[offs + 1 : offs + n],
        p_document_refs[offs + 1 : offs + n], p_data[offs + 1 : offs + n], false, p_head_revisions[k], p_prev_hashes[k],
        p_hashes[offs + 1 : offs + n], p_hash_format);
      part := k;
      first_position := r.first_position;
      recorded_at := r.recorded_at;
      RETURN NEXT;
      offs := offs + n;
    END LOOP;
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT, v_detail = PG_EXCEPTION_DETAIL, v_constraint = CONSTRAINT_NAME;
    RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = v_message, DETAIL = v_detail, CONSTRAINT = v_constraint, HINT = i::text;
  END;
END $$;
`;

export const eventStoreMigrations: readonly Migration[] = [
  { version: 1, name: 'ledger events, append function, visibility frontier', sql: v1Events },
  { version: 2, name: 'hash formats, store meta, append hashed by the writer', sql: v2HashFormats },
  { version: 3, name: 'several streams appended in one statement', sql: v3AppendBatch },
];
