import { randomBytes, randomUUID } from 'node:crypto';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { Client, Pool } from 'pg';
import { runMigrations } from '@cadre-ledger/platform';
import { PostgresEventStore, type NewEvent } from '@cadre-ledger/event-store';
import { AUDIT_MIGRATIONS_NAMESPACE, TransparencyLog, auditMigrations } from '@cadre-ledger/audit';
import type { BenchRow, BenchServer } from '../support';

const SLICE_MS = 500;

interface Scenario {
  label: string;
  writers: number;
  eventsPerAppend: number;
}

const SCENARIOS: Scenario[] = [
  { label: '1 writer, 1 event/append', writers: 1, eventsPerAppend: 1 },
  { label: '8 writers, 1 event/append', writers: 8, eventsPerAppend: 1 },
  { label: '8 writers, 100 events/append', writers: 8, eventsPerAppend: 100 },
];

/** A realistic ledger event: Chinese text, a document number, a few fields (~300 bytes of JSON). */
function benchEvent(): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'CautionIssued',
    schemaVersion: 1,
    effectiveAt: '2026-03-15',
    actor: 'hr-officer-7',
    documentRef: '组干〔2026〕17号',
    data: {
      cadreId: randomUUID(),
      unitId: 'unit-3301',
      reason: '落实重点工作不力，造成不良影响，依据《中国共产党问责条例》第七条予以诫勉',
      impactMonths: 6,
      decidedBy: '县委组织部',
    },
  };
}

/** The physical baseline: the same columns and types as ledger_events, no constraints beyond a key. */
const PLAIN_TABLE = `CREATE TABLE bench_plain_rows (
  id bigserial PRIMARY KEY, stream text NOT NULL, revision bigint NOT NULL, event_id text NOT NULL, type text NOT NULL,
  schema_version integer NOT NULL, effective_at text NOT NULL, actor text NOT NULL, document_ref text, data jsonb NOT NULL,
  prev_hash text NOT NULL, hash text NOT NULL, recorded_at timestamptz NOT NULL)`;

const PLAIN_INSERT = `INSERT INTO bench_plain_rows (stream, revision, event_id, type, schema_version, effective_at, actor, document_ref, data, prev_hash, hash, recorded_at)
SELECT $1, u.revision, u.event_id, u.type, u.schema_version, u.effective_at, u.actor, u.document_ref, u.data, u.prev_hash, u.hash, clock_timestamp()
FROM unnest($2::bigint[], $3::text[], $4::text[], $5::integer[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::text[], $11::text[])
  AS u(revision, event_id, type, schema_version, effective_at, actor, document_ref, data, prev_hash, hash)`;

const fakeHash = () => randomBytes(32).toString('hex');

type Appender = { appendOnce: (writer: number) => Promise<void>; close(): Promise<void> };

/** As a command handler does: append at the revision it read, one stream per writer. */
async function ledgerAppender(url: string, scenario: Scenario): Promise<Appender> {
  const store = await PostgresEventStore.open({ connectionString: url, poolSize: scenario.writers + 1 });
  const run = randomUUID().slice(0, 8);
  const revisions = new Array<number | 'no-stream'>(scenario.writers).fill('no-stream');
  return {
    appendOnce: async (writer) => {
      const events = Array.from({ length: scenario.eventsPerAppend }, benchEvent);
      const result = await store.appendToStream(`cadre-bench-${run}-${writer}`, events, { expectedRevision: revisions[writer] });
      revisions[writer] = result.nextRevision;
    },
    close: () => store.close(),
  };
}

async function plainAppender(url: string, scenario: Scenario): Promise<Appender> {
  const pool = new Pool({ connectionString: url, max: scenario.writers, options: '-c synchronous_commit=on' });
  const run = randomUUID().slice(0, 8);
  const revisions = new Array<number>(scenario.writers).fill(0);
  return {
    appendOnce: async (writer) => {
      const events = Array.from({ length: scenario.eventsPerAppend }, benchEvent);
      const first = revisions[writer];
      revisions[writer] += events.length;
      await pool.query(PLAIN_INSERT, [
        `cadre-bench-${run}-${writer}`,
        events.map((_, index) => first + index),
        events.map((event) => event.eventId),
        events.map((event) => event.type),
        events.map((event) => event.schemaVersion ?? 1),
        events.map((event) => event.effectiveAt),
        events.map((event) => event.actor),
        events.map((event) => event.documentRef ?? null),
        events.map((event) => JSON.stringify(event.data)),
        events.map(fakeHash),
        events.map(fakeHash),
      ]);
    },
    close: () => pool.end(),
  };
}

/** Emmett's PostgreSQL event store (@event-driven-io/emmett-postgresql), with the expected stream version, durable commits. */
async function emmettAppender(url: string, scenario: Scenario): Promise<Appender> {
  const pool = new Pool({ connectionString: url, max: scenario.writers + 1, options: '-c synchronous_commit=on' });
  const store = getPostgreSQLEventStore(url, { connectionOptions: { pool } });
  const run = randomUUID().slice(0, 8);
  const versions = new Array<bigint>(scenario.writers).fill(0n);
  return {
    appendOnce: async (writer) => {
      const events = Array.from({ length: scenario.eventsPerAppend }, () => {
        const event = benchEvent();
        return { type: event.type, data: event.data, metadata: { eventId: event.eventId, effectiveAt: event.effectiveAt, actor: event.actor, documentRef: event.documentRef } };
      });
      const result = await store.appendToStream(`cadre-bench-${run}-${writer}`, events, { expectedStreamVersion: versions[writer] });
      versions[writer] = result.nextExpectedStreamVersion;
    },
    close: async () => {
      await store.close();
      await pool.end().catch(() => undefined);
    },
  };
}

/** Appends by `writers` concurrent loops for `ms`. */
async function slice(scenario: Scenario, ms: number, appender: Appender): Promise<{ events: number; ms: number }> {
  const started = performance.now();
  const end = started + ms;
  let events = 0;
  await Promise.all(
    Array.from({ length: scenario.writers }, async (_, writer) => {
      while (performance.now() < end) {
        await appender.appendOnce(writer);
        events += scenario.eventsPerAppend;
      }
    }),
  );
  return { events, ms: performance.now() - started };
}

/**
 * Cell 1: appends per second through the ledger's PostgreSQL store, beside plain INSERTs of rows of
 * the same size and Emmett's PostgreSQL event store, same concurrency, same server, durable
 * commits. The three take turns in short slices (the machine's speed drifts over seconds; taking
 * turns exposes all three to the same drift); the first slice of each is warm-up. Then the
 * ledger-wide log takes in everything the store appended: how fast it keeps up.
 */
export async function appendsCell(server: BenchServer, seconds: number): Promise<BenchRow[]> {
  const url = await server.fresh('bench_appends');
  const setup = new Client({ connectionString: url });
  await setup.connect();
  await setup.query(PLAIN_TABLE);
  await setup.end();
  const rows: BenchRow[] = [];
  for (const scenario of SCENARIOS) {
    const contenders = { ledger: await ledgerAppender(url, scenario), plain: await plainAppender(url, scenario), emmett: await emmettAppender(url, scenario) };
    const tallies = { ledger: { events: 0, ms: 0 }, plain: { events: 0, ms: 0 }, emmett: { events: 0, ms: 0 } };
    try {
      const slices = Math.max(1, Math.round((seconds * 1000) / SLICE_MS));
      for (let i = -1; i < slices; i++) {
        for (const name of ['ledger', 'plain', 'emmett'] as const) {
          const tally = await slice(scenario, SLICE_MS, contenders[name]);
          if (i < 0) continue;
          tallies[name].events += tally.events;
          tallies[name].ms += tally.ms;
        }
      }
    } finally {
      for (const contender of Object.values(contenders)) await contender.close();
    }
    const rate = (name: keyof typeof tallies) => (tallies[name].events * 1000) / tallies[name].ms;
    const emmettTarget = scenario.writers === 1 ? 1.0 : 1.5;
    rows.push(
      { cell: '1', measure: `appends, ${scenario.label}`, value: rate('ledger'), unit: 'events/s', baseline: { name: 'plain INSERT', value: rate('plain') }, target: { ratio: 0.7 } },
      { cell: '1', measure: `appends, ${scenario.label}`, value: rate('ledger'), unit: 'events/s', baseline: { name: "Emmett's PostgreSQL store", value: rate('emmett') }, target: { ratio: emmettTarget } },
    );
  }
  rows.push(await logIntake(url));
  return rows;
}

/** The ledger-wide log takes in, after the commit, every event appended above: how far behind appends it can fall. */
async function logIntake(url: string): Promise<BenchRow> {
  const store = await PostgresEventStore.open({ connectionString: url, poolSize: 2 });
  const pool = new Pool({ connectionString: url, max: 2 });
  try {
    await runMigrations(pool, AUDIT_MIGRATIONS_NAMESPACE, auditMigrations);
    const log = new TransparencyLog(pool, store, store.hashAlgorithm);
    const started = performance.now();
    const events = await log.catchUp();
    return { cell: '1', measure: `the ledger-wide log takes in what was appended (${events.toLocaleString('en-US')} events)`, value: events / ((performance.now() - started) / 1000), unit: 'events/s' };
  } finally {
    await pool.end();
    await store.close();
  }
}
