/**
 * `npm run bench:store`: appends per second through the PostgreSQL event store, beside plain
 * INSERTs of rows of the same size, with the same concurrency, on the same server, with durable
 * commits (fsync on, synchronous_commit on). Speed is measured here, never asserted in tests.
 *
 * Uses `DATABASE_URL` if set (a fresh database is created on that server and dropped after),
 * otherwise starts an embedded PostgreSQL on a free port and a temporary data directory.
 * `BENCH_SECONDS` sets the measured time per cell (default 6; the whole run stays under ~2 minutes).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { ensureDatabase, findFreePort, runMigrations, startEmbeddedPostgres, withDatabase } from '@cadre-ledger/platform';
import { PostgresEventStore, type NewEvent } from '@cadre-ledger/event-store';
import { AUDIT_MIGRATIONS_NAMESPACE, TransparencyLog, auditMigrations } from '@cadre-ledger/audit';


const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const SLICE_MS = 500;

interface Scenario {
  label: string;
  writers: number;
  eventsPerAppend: number;
}

const scenarios: Scenario[] = [
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

/** Appends by `writers` concurrent loops for `ms`; returns events and the time they really took. */
async function slice(writers: number, eventsPerAppend: number, ms: number, appendOnce: (writer: number) => Promise<void>): Promise<Tally> {
  const started = performance.now();
  const end = started + ms;
  let events = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      while (performance.now() < end) {
        await appendOnce(writer);
        events += eventsPerAppend;
      }
    }),
  );
  return { events, ms: performance.now() - started };
}

interface Tally {
  events: number;
  ms: number;
}

type Appender = { appendOnce: (writer: number) => Promise<void>; close(): Promise<void> };

/**
 * The store and the baseline take turns in short slices rather than one long run each: on a
 * shared machine, disk latency and CPU contention drift over seconds, and alternating exposes
 * both to the same drift. The first slice of each is warm-up and not counted.
 */
async function compare(scenario: Scenario, store: Appender, plain: Appender): Promise<{ store: number; plain: number }> {
  const tallies = { store: { events: 0, ms: 0 }, plain: { events: 0, ms: 0 } };
  const slices = Math.max(1, Math.round((SECONDS * 1000) / SLICE_MS));
  for (let i = -1; i < slices; i += 1) {
    for (const [name, appender] of [['store', store], ['plain', plain]] as const) {
      const tally = await slice(scenario.writers, scenario.eventsPerAppend, SLICE_MS, appender.appendOnce);
      if (i < 0) continue;
      tallies[name].events += tally.events;
      tallies[name].ms += tally.ms;
    }
  }
  const perSecond = (tally: Tally) => (tally.events * 1000) / tally.ms;
  return { store: perSecond(tallies.store), plain: perSecond(tallies.plain) };
}

async function storeAppender(url: string, scenario: Scenario): Promise<Appender> {
  const store = await PostgresEventStore.open({ connectionString: url, poolSize: scenario.writers + 1 });
  const run = randomUUID().slice(0, 8);
  const revisions = new Array<number | 'no-stream'>(scenario.writers).fill('no-stream');
  return {
    appendOnce: async (writer) => {
      const events = Array.from({ length: scenario.eventsPerAppend }, benchEvent);
      // As a command handler does: append at the revision it read, one stream per writer.
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

async function serverFacts(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT current_setting('server_version') AS version, current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sync",
    );
    return `PostgreSQL ${rows[0].version}, fsync=${rows[0].fsync}, synchronous_commit=${rows[0].sync}`;
  } finally {
    await client.end();
  }
}

async function openServer(): Promise<{ maintenanceUrl: string; where: string; stop(): Promise<void> }> {
  if (process.env.DATABASE_URL) {
    return { maintenanceUrl: process.env.DATABASE_URL, where: 'external server (DATABASE_URL)', stop: async () => undefined };
  }
  const dir = await mkdtemp(join(tmpdir(), 'cadre-ledger-bench-'));
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), port: await findFreePort() });
  return {
    maintenanceUrl: server.url,
    where: 'embedded server, temporary data directory',
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  const server = await openServer();
  const database = `cadre_ledger_bench_${randomBytes(4).toString('hex')}`;
  try {
    await ensureDatabase(server.maintenanceUrl, database);
    const url = withDatabase(server.maintenanceUrl, database);
    const setup = new Client({ connectionString: url });
    await setup.connect();
    await setup.query(PLAIN_TABLE);
    await setup.end();

    console.log(`bench:store on ${server.where}: ${await serverFacts(url)}`);
    console.log(`${SECONDS} s measured per cell, store and baseline alternating in ${SLICE_MS} ms slices after one warm-up slice each`);
    console.log(`events of ~300 bytes of JSON; load average at start ${loadavg().map((load) => load.toFixed(1)).join(' ')} on ${cpus().length} CPUs\n`);
    const rows: string[][] = [['scenario', 'event store (events/s)', 'plain INSERT (events/s)', 'ratio']];
    for (const scenario of scenarios) {
      const store = await storeAppender(url, scenario);
      const plain = await plainAppender(url, scenario);
      try {
        const result = await compare(scenario, store, plain);
        rows.push([scenario.label, result.store.toFixed(0), result.plain.toFixed(0), (result.store / result.plain).toFixed(2)]);
      } finally {
        await store.close();
        await plain.close();
      }
    }
    printTable(rows);
    console.log(`\n${await logIntake(url)}`);

    const cleanup = new Client({ connectionString: server.maintenanceUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE ${cleanup.escapeIdentifier(database)} WITH (FORCE)`);
    await cleanup.end();
  } finally {
    await server.stop();
  }
}

/**
 * The ledger-wide log takes in, after the commit, every event the scenarios above appended: its
 * rate says how far behind appends it can fall (it must keep up with the store's peak).
 */
async function logIntake(url: string): Promise<string> {
  const store = await PostgresEventStore.open({ connectionString: url, poolSize: 2 });
  const pool = new Pool({ connectionString: url, max: 2 });
  try {
    await runMigrations(pool, AUDIT_MIGRATIONS_NAMESPACE, auditMigrations);
    const log = new TransparencyLog(pool, store, store.hashAlgorithm);
    const started = performance.now();
    const events = await log.catchUp();
    const seconds = (performance.now() - started) / 1000;
    return `ledger-wide log (libs/audit): ${events} events taken in, ${(events / seconds).toFixed(0)} events/s (leaves, tree nodes, durable commits)`;
  } finally {
    await pool.end();
    await store.close();
  }
}

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  console.log(line(rows[0]));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows.slice(1)) console.log(line(row));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
