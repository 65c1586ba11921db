import autocannon from 'autocannon';
import { Pool } from 'pg';
import { PostgresEventStore } from '@cadre-ledger/event-store';
import { listCadres, listEligibility, migrateReadModels } from '@cadre-ledger/projections';
import { benchToken, closedLoop, percentile, startApi, type BenchRow, type BenchServer } from '../support';

const CLIENTS = 32;
const UNITS = 2000;

/** Surnames and given-name characters with their pinyin, so that names, pinyin and initials agree. */
const SURNAMES: [string, string][] = [['赵', 'zhao'], ['钱', 'qian'], ['孙', 'sun'], ['李', 'li'], ['周', 'zhou'], ['吴', 'wu'], ['郑', 'zheng'], ['王', 'wang'], ['陈', 'chen'], ['单', 'shan']];
const GIVEN: [string, string][] = [['文', 'wen'], ['清', 'qing'], ['建', 'jian'], ['国', 'guo'], ['华', 'hua'], ['明', 'ming'], ['丽', 'li'], ['强', 'qiang'], ['敏', 'min'], ['静', 'jing'], ['军', 'jun'], ['伟', 'wei']];

const sqlArray = (values: string[]) => `ARRAY[${values.map((v) => `'${v}'`).join(',')}]`;

/**
 * The read models of `cadres` cadres written straight into the reporting tables (a projector
 * would take hours to fill them, and these cells measure reading them): eligibility rows and
 * directory rows in `UNITS` units, names from a realistic mix with their pinyin.
 */
async function fillReadModels(pool: Pool, cadres: number): Promise<void> {
  await migrateReadModels(pool);
  const s = (i: string) => `(${sqlArray(SURNAMES.map((x) => x[0]))})[1 + ${i} % ${SURNAMES.length}]`;
  const sp = (i: string) => `(${sqlArray(SURNAMES.map((x) => x[1]))})[1 + ${i} % ${SURNAMES.length}]`;
  const g = (i: string) => `(${sqlArray(GIVEN.map((x) => x[0]))})[1 + ${i} % ${GIVEN.length}]`;
  const gp = (i: string) => `(${sqlArray(GIVEN.map((x) => x[1]))})[1 + ${i} % ${GIVEN.length}]`;
  for (let from = 1; from <= cadres; from += 100_000) {
    const to = Math.min(cadres, from + 99_999);
    await pool.query(`
      INSERT INTO reporting.cadre_eligibility (cadre_id, unit_id, jurisdiction, as_of, promotable, next_lock_end, locks, priorities, review_triggers, conditions, benefits, verdict, revision)
      SELECT 'c' || lpad(i::text, 7, '0'), 'u' || (i % ${UNITS}), 'CN-SN', current_date, i % 7 <> 0, NULL, '[]', '[]', '[]', '[]', '[]',
             jsonb_build_object('cadreId', 'c' || lpad(i::text, 7, '0'), 'asOf', current_date, 'knownAt', now(), 'promotable', i % 7 <> 0,
               'locks', '[]'::jsonb, 'priorities', '[]'::jsonb, 'reviewTriggers', '[]'::jsonb, 'conditions', '[]'::jsonb, 'benefits', '[]'::jsonb,
               'exclusions', '[]'::jsonb, 'ruleSets', '["CN@2019", "CN-SN@2018"]'::jsonb, 'neutralised', '[]'::jsonb, 'notes', '[]'::jsonb), 20
      FROM generate_series(${from}, ${to}) AS i`);
    await pool.query(`
      INSERT INTO reporting.cadres (cadre_id, name, unit_id, jurisdiction, title, position_level, leadership, principal, party_secretary, portfolios,
        managed_by, position_since, registered_on, revision, name_pinyin, name_initials, unit_name)
      SELECT 'c' || lpad(i::text, 7, '0'), ${s('i')} || ${g('(i / 10)')} || ${g('(i / 120)')}, 'u' || (i % ${UNITS}), 'CN-SN', '科长', 'township-chief', true,
             i % 11 = 0, false, '[]', CASE WHEN i % 3 = 0 THEN 'county' ELSE 'municipal' END, date '2020-01-01', date '2015-01-01', 20,
             ${sp('i')} || ${gp('(i / 10)')} || ${gp('(i / 120)')}, left(${sp('i')}, 1) || left(${gp('(i / 10)')}, 1) || left(${gp('(i / 120)')}, 1), '县单位' || (i % ${UNITS})
      FROM generate_series(${from}, ${to}) AS i`);
  }
  await pool.query('ANALYZE reporting.cadre_eligibility');
  await pool.query('ANALYZE reporting.cadres');
}

/**
 * Cell 4: the read-model list (`/v1/eligibility?unitId=`) and the directory (`/v1/cadres`, a unit's
 * cadres by initials, and a name searched across every unit) over `BENCH_LIST_CADRES` (default
 * 1,000,000) cadres, 32 clients, the read audit on; beside the same queries (the library functions
 * the routes call) run straight over `pg` at the same concurrency.
 */
export async function listsCell(server: BenchServer, seconds: number): Promise<BenchRow[]> {
  const url = await server.fresh('bench_lists');
  const cadres = Number(process.env.BENCH_LIST_CADRES ?? 1_000_000);
  await (await PostgresEventStore.open({ connectionString: url })).close();
  const setup = new Pool({ connectionString: url, max: 2 });
  await fillReadModels(setup, cadres);
  await setup.end();
  const unitIds = Array.from({ length: UNITS }, (_, i) => `u${i}`);
  return measureLists(url, { cadres, unitIds, initials: () => `${SURNAMES[Math.floor(Math.random() * SURNAMES.length)][1][0]}${GIVEN[Math.floor(Math.random() * GIVEN.length)][1][0]}`, fullName: () => `${SURNAMES[Math.floor(Math.random() * SURNAMES.length)][1]}${GIVEN[Math.floor(Math.random() * GIVEN.length)][1]}` }, seconds);
}

/** The list and directory queries over HTTP (an API of its own on `url`), beside the same queries over pg. */
export async function measureLists(
  url: string,
  data: { cadres: number; unitIds: readonly string[]; initials: () => string; fullName: () => string },
  seconds: number,
  cell = '4',
): Promise<BenchRow[]> {
  const api = await startApi(url);
  const pool = new Pool({ connectionString: url, max: CLIENTS });
  const token = await benchToken();
  const unit = () => data.unitIds[Math.floor(Math.random() * data.unitIds.length)];
  const cases = [
    { label: 'eligibility list of a unit (/v1/eligibility?unitId=)', path: () => `/v1/eligibility?unitId=${encodeURIComponent(unit())}&limit=50`, sql: () => listEligibility(pool, { scope: '*', unitId: unit(), limit: 50 }) },
    { label: 'directory, a unit\'s cadres by initials (/v1/cadres?unitId=&q=)', path: () => `/v1/cadres?unitId=${encodeURIComponent(unit())}&q=${data.initials()}&limit=50`, sql: () => listCadres(pool, { scope: '*', unitId: unit(), q: data.initials(), limit: 50 }) },
    { label: 'directory, a name in pinyin across every unit (/v1/cadres?q=)', path: () => `/v1/cadres?q=${data.fullName()}&limit=50`, sql: () => listCadres(pool, { scope: '*', q: data.fullName(), limit: 50 }) },
  ];
  const rows: BenchRow[] = [];
  try {
    for (const c of cases) {
      const http = await autocannon({
        url: api.base,
        connections: CLIENTS,
        duration: seconds,
        headers: { authorization: `Bearer ${token}` },
        requests: [{ setupRequest: (request) => ({ ...request, path: c.path() }) }],
      });
      const raw = await closedLoop(CLIENTS, seconds * 1000, async () => void (await c.sql()));
      const note = http.non2xx + http.errors > 0 ? `${http.non2xx + http.errors} failed` : `${Math.round(http.requests.average)} req/s over HTTP, ${Math.round(raw.latencies.length / (raw.ms / 1000))} queries/s`;
      rows.push({ cell, measure: `${c.label}, ${data.cadres.toLocaleString('en-US')} cadres, ${CLIENTS} clients: p99`, value: http.latency.p99, unit: 'ms', baseline: { name: 'the same query over pg, p99', value: percentile(raw.latencies, 99) }, note });
    }
  } finally {
    await pool.end();
    await api.stop();
  }
  return rows;
}
