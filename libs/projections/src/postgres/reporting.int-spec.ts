import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { Ledger } from '@cadre-ledger/application';
import { PostgresEventStore } from '@cadre-ledger/event-store';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { waitUntil } from '@cadre-ledger/platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { READ_MODEL_COMMENTS, migrateReadModels } from './comments';
import { Projector } from './projector';
import { rebuildReadModels } from './rebuild';
import { READ_MODEL_TABLES, REPORTING_ROLE, REPORTING_VIEWS } from './schema';

/**
 * The schema `reporting` as a BI analyst meets it: read models only, every table and column
 * commented in Chinese and English, a read-only role that reads `reporting` and nothing else (also
 * after a rebuild swapped fresh tables in), and tables a person can read: names with pinyin, units
 * with their hierarchy, facts with their dates as dates.
 */
jest.setTimeout(60_000);

const ruleBook = readRuleBook();
const TODAY = '2026-11-22';
const actor = { actor: 'zzb-王丽' };
const chief = { title: '县长', level: 'county-chief', leadership: true, principal: true } as const;

let db: TestDatabase;
let store: PostgresEventStore;
let pool: Pool;
let projector: Projector;

const project = () =>
  waitUntil(async () => {
    await projector.catchUp();
    const head = Number((await pool.query<{ p: string }>('SELECT coalesce(max(global_position), 0) AS p FROM ledger_events')).rows[0].p);
    return (await projector.checkpoint()) >= head;
  }, { timeoutMs: 30_000, description: 'the read models to catch up' });

beforeAll(async () => {
  db = await createTestDatabase('reporting');
  store = await PostgresEventStore.open({ connectionString: db.url });
  pool = new Pool({ connectionString: db.url, max: 4 });
  await migrateReadModels(pool);
  projector = new Projector({ pool, store, ruleBook, today: () => TODAY });
  const ledger = new Ledger({ store, ruleBook, now: () => new Date(), newEventId: randomUUID });
  const unit = (unitId: string, name: string, level: string, parentUnitId?: string) =>
    ledger.executeUnitCommand(unitId, { type: 'RegisterUnit', data: { unitId, name, level: level as 'county', ...(parentUnitId ? { parentUnitId } : {}), jurisdiction: 'CN-SN', effectiveAt: '2010-01-01' }, metadata: actor });
  await unit('sx', '陕西省', 'province');
  await unit('ak', '安康市', 'city', 'sx');
  await unit('ns', '宁陕县', 'county', 'ak');
  await unit('ns-fgj', '宁陕县发展和改革局', 'department', 'ns');
  for (const [cadreId, name, unitId] of [['c-zwq', '赵文清', 'ns'], ['c-shan', '单雄信', 'ns-fgj'], ['c-zeng', '曾国藩', 'ns-fgj'], ['c-xie', '解缙', 'ak'], ['c-qiu', '仇英', 'ak']]) {
    await ledger.executeCadreCommand(cadreId, { type: 'RegisterCadre', data: { cadreId, name, unitId, jurisdiction: 'CN-SN', position: chief, effectiveAt: '2016-03-01' }, metadata: actor });
  }
  await ledger.executeCadreCommand('c-zwq', { type: 'IssueCaution', data: { reason: '履职不力', effectiveAt: '2024-05-06' }, metadata: { ...actor, documentRef: '宁组字〔2024〕3号' } });
  await project();
});

afterAll(async () => {
  await pool.end();
  await store.close();
  await db.drop();
});

async function describeSchema(): Promise<{ tables: Map<string, string | null>; columns: Map<string, string | null> }> {
  const tables = await pool.query<{ name: string; comment: string | null }>(
    `SELECT c.relname AS name, obj_description(c.oid, 'pg_class') AS comment FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'reporting' AND c.relkind IN ('r', 'v')`,
  );
  const columns = await pool.query<{ name: string; comment: string | null }>(
    `SELECT c.relname || '.' || a.attname AS name, col_description(c.oid, a.attnum) AS comment
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'reporting' AND c.relkind IN ('r', 'v') AND a.attnum > 0 AND NOT a.attisdropped`,
  );
  return { tables: new Map(tables.rows.map((r) => [r.name, r.comment])), columns: new Map(columns.rows.map((r) => [r.name, r.comment])) };
}

function expectEveryCommentInBothLanguages(schema: { tables: Map<string, string | null>; columns: Map<string, string | null> }): void {
  const bilingual = /\p{Script=Han}.* \/ [A-Za-z(]/u;
  const missing = [...schema.tables, ...schema.columns].filter(([, comment]) => comment === null || !bilingual.test(comment)).map(([name]) => name);
  expect(missing).toEqual([]);
}

describe('the reporting schema', () => {
  it('holds the read models and nothing else', async () => {
    const { tables } = await describeSchema();
    expect([...tables.keys()].sort()).toEqual([...READ_MODEL_TABLES, ...REPORTING_VIEWS.map((v) => v.name)].sort());
    const internal = await pool.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
    expect(internal.rows.map((r) => r.name)).toEqual(expect.arrayContaining(['ledger_events', 'projection_checkpoints']));
    expect(internal.rows.map((r) => r.name)).not.toContain('cadre_eligibility');
  });

  it('comments every table and column in Chinese and English, and the catalogue names nothing that is gone', async () => {
    const schema = await describeSchema();
    expectEveryCommentInBothLanguages(schema);
    for (const [table, comment] of Object.entries(READ_MODEL_COMMENTS)) {
      expect(schema.tables.has(table)).toBe(true);
      for (const column of Object.keys(comment.columns)) expect(schema.columns.has(`${table}.${column}`)).toBe(true);
    }
  });

  it('gives the read-only role reporting and nothing else, also after a rebuild swapped fresh tables in', async () => {
    const login = `reporting_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    await pool.query(`CREATE ROLE ${login} LOGIN PASSWORD '${password}' IN ROLE ${REPORTING_ROLE}`);
    const asAnalyst = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
      const url = new URL(db.url);
      url.username = login;
      url.password = password;
      const client = new Client({ connectionString: url.toString() });
      await client.connect();
      try {
        return await work(client);
      } finally {
        await client.end();
      }
    };
    const denied = (client: Client, sql: string) => client.query(sql).then(() => 'allowed', (error: { code?: string }) => error.code);
    const probe = async (client: Client) => [
      (await client.query('SELECT count(*)::int AS n FROM reporting.cadres')).rows[0].n as number,
      (await client.query('SELECT count(*)::int AS n FROM reporting.mechanism_stats')).rows[0].n as number,
      (await client.query('SELECT count(*)::int AS n FROM reporting.promotion_conflicts_per_unit_year')).rows[0].n as number,
      await denied(client, 'SELECT 1 FROM ledger_events LIMIT 1'),
      await denied(client, 'SELECT 1 FROM projection_checkpoints LIMIT 1'),
      await denied(client, "INSERT INTO reporting.units (unit_id, name, level, jurisdiction, registered_on) VALUES ('x', 'x', 'county', 'CN', '2020-01-01')"),
      await denied(client, 'DELETE FROM reporting.facts'),
      await denied(client, 'CREATE TABLE reporting.mine (a int)'),
    ];
    try {
      expect(await asAnalyst(probe)).toEqual([5, 0, 0, '42501', '42501', '42501', '42501', '42501']);
      await rebuildReadModels({ pool, store, ruleBook, today: () => TODAY });
      expect(await asAnalyst(probe)).toEqual([5, 0, 0, '42501', '42501', '42501', '42501', '42501']);
      expectEveryCommentInBothLanguages(await describeSchema());
    } finally {
      await pool.query(`DROP ROLE ${login}`);
    }
  });

  it('finds people by name in pinyin, surnames read as surnames, with their unit\'s name', async () => {
    const { rows } = await pool.query(`SELECT cadre_id, name_pinyin, name_initials, unit_name FROM reporting.cadres ORDER BY cadre_id`);
    expect(rows).toEqual([
      { cadre_id: 'c-qiu', name_pinyin: 'qiuying', name_initials: 'qy', unit_name: '安康市' },
      { cadre_id: 'c-shan', name_pinyin: 'shanxiongxin', name_initials: 'sxx', unit_name: '宁陕县发展和改革局' },
      { cadre_id: 'c-xie', name_pinyin: 'xiejin', name_initials: 'xj', unit_name: '安康市' },
      { cadre_id: 'c-zeng', name_pinyin: 'zengguofan', name_initials: 'zgf', unit_name: '宁陕县发展和改革局' },
      { cadre_id: 'c-zwq', name_pinyin: 'zhaowenqing', name_initials: 'zwq', unit_name: '宁陕县' },
    ]);
  });

  it('places every unit in its hierarchy, a department at its parent\'s level, as the projector and as a rebuild do', async () => {
    const units = async () => (await pool.query(`SELECT * FROM reporting.units ORDER BY unit_id`)).rows;
    const projected = await units();
    await rebuildReadModels({ pool, store, ruleBook, today: () => TODAY });
    expect(await units()).toEqual(projected);
    const { rows } = await pool.query(`SELECT unit_id, effective_level, path_ids, path_names FROM reporting.units WHERE unit_id IN ('ns', 'ns-fgj') ORDER BY unit_id`);
    expect(rows).toEqual([
      { unit_id: 'ns', effective_level: 'county', path_ids: ['sx', 'ak', 'ns'], path_names: ['陕西省', '安康市', '宁陕县'] },
      { unit_id: 'ns-fgj', effective_level: 'county', path_ids: ['sx', 'ak', 'ns', 'ns-fgj'], path_names: ['陕西省', '安康市', '宁陕县', '宁陕县发展和改革局'] },
    ]);
  });

  it('keeps every fact with its effective date as a date, its unit then, and its 文号', async () => {
    const { rows } = await pool.query(
      `SELECT type, pg_typeof(effective_at)::text AS date_type, to_char(effective_at, 'YYYY-MM-DD') AS effective_at, unit_id, document_ref, retracted
       FROM reporting.facts WHERE cadre_id = 'c-zwq' ORDER BY revision`,
    );
    expect(rows).toEqual([
      { type: 'CadreRegistered', date_type: 'date', effective_at: '2016-03-01', unit_id: 'ns', document_ref: null, retracted: false },
      { type: 'CautionIssued', date_type: 'date', effective_at: '2024-05-06', unit_id: 'ns', document_ref: '宁组字〔2024〕3号', retracted: false },
    ]);
  });
});
