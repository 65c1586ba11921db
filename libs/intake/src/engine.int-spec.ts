import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { PostgresEventStore } from '@cadre-ledger/event-store';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { intakeSpreadsheet, type IntakeOptions } from './engine';
import { writeTemplate } from './template';

/**
 * The spreadsheet intake against a real store: the shipped example workbook imports into a fresh
 * store; a copy with one bad cell appends nothing and names sheet, row and column in Chinese; the
 * good one imported twice appends once; CSV from Excel (GB18030, Excel's date forms); --partial;
 * the historical mode recording a promotion inside a lock as a conflict, which live refuses.
 */
jest.setTimeout(60_000);

const EXAMPLE = resolve(__dirname, '../../../docs/import/示例.xlsx');
const ruleBook = readRuleBook();
const TODAY = '2026-11-22';
const options = (extra: Partial<IntakeOptions> = {}): IntakeOptions => ({ ruleBook, today: TODAY, actor: 'zzb-hr', mode: 'live', partial: false, ...extra });

let db: TestDatabase;
let store: PostgresEventStore;
let dir: string;

beforeEach(async () => {
  db = await createTestDatabase('intake');
  store = await PostgresEventStore.open({ connectionString: db.url });
  dir = await mkdtemp(join(tmpdir(), 'intake-'));
});
afterEach(async () => {
  await store.close();
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

const eventCount = async () => Number((await store.pool.query<{ n: string }>('SELECT count(*) AS n FROM ledger_events')).rows[0].n);

/** A copy of the example with one cell changed. */
async function exampleWith(sheet: string, row: number, column: number, value: ExcelJS.CellValue): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(EXAMPLE);
  workbook.getWorksheet(sheet)!.getRow(row).getCell(column).value = value;
  const path = join(dir, `示例-${sheet}-${row}-${column}.xlsx`);
  await workbook.xlsx.writeFile(path);
  return path;
}

describe('spreadsheet intake', () => {
  it('imports the shipped example workbook into a fresh store, each row its fact', async () => {
    const report = await intakeSpreadsheet(store, EXAMPLE, options());
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ rows: 13, imported: 13, alreadyStored: 0, appended: true });
    const stream = await store.readStream('cadre-NS-0003');
    expect(stream.map((e) => e.type)).toEqual(['CadreRegistered', 'TalkHeld', 'CautionIssued', 'SanctionImposed', 'CadreTransferred']);
    expect(stream[3]).toMatchObject({ effectiveAt: '2019-10-20', actor: 'zzb-hr', documentRef: '宁监委〔2019〕3号', data: { system: 'administrative', kind: 'warning' } });
    expect((await store.readStream('cadre-NS-0001'))[0].data).toMatchObject({ name: '赵文清', managedBy: 'provincial', position: { level: 'county-chief', principal: true } });
  });

  it('appends nothing when one cell is wrong, and names sheet, row and column in Chinese', async () => {
    const bad = await exampleWith('年度考核', 3, 3, '特优');
    const report = await intakeSpreadsheet(store, bad, options());
    expect(report.appended).toBe(false);
    expect(await eventCount()).toBe(0);
    expect(report.problems).toEqual([{ sheet: '年度考核', row: 3, column: '等次', message: '"等次"应为以下之一:优秀、称职、基本称职、不称职,实际为"特优"' }]);
  });

  it('refuses what the deciders refuse, with the row, and appends nothing', async () => {
    const future = await exampleWith('诫勉', 2, 3, '2999-01-01');
    const report = await intakeSpreadsheet(store, future, options());
    expect(report.problems).toEqual([{ sheet: '诫勉', row: 2, column: '生效日期', code: 'effective-date-in-future', message: '生效日期晚于今天,不能登记尚未生效的决定' }]);
    expect(await eventCount()).toBe(0);
  });

  it('imported twice, appends once: each row is the same event again', async () => {
    await intakeSpreadsheet(store, EXAMPLE, options());
    const before = await eventCount();
    const again = await intakeSpreadsheet(store, EXAMPLE, options());
    expect(again).toMatchObject({ rows: 13, imported: 0, alreadyStored: 13, problems: [] });
    expect(await eventCount()).toBe(before);
  });

  it('two imports of the same file at once store it once, and both finish without a problem', async () => {
    const other = await PostgresEventStore.open({ connectionString: db.url });
    try {
      let first: Awaited<ReturnType<typeof intakeSpreadsheet>> | undefined;
      // The second import has decided every row; the first stores the file just before its commit.
      const racing = Object.create(store) as PostgresEventStore;
      racing.appendToStreams = async (parts) => {
        first ??= await intakeSpreadsheet(other, EXAMPLE, options());
        return store.appendToStreams(parts);
      };
      const second = await intakeSpreadsheet(racing, EXAMPLE, options());
      expect(first).toMatchObject({ imported: 13, problems: [] });
      expect(second).toMatchObject({ problems: [], appended: true });
      expect(await eventCount()).toBe(13);
    } finally {
      await other.close();
    }
  });

  it('with --partial appends every cadre whose rows are all valid, and reports the rest', async () => {
    const bad = await exampleWith('处分', 2, 3, '罚款');
    const report = await intakeSpreadsheet(store, bad, options({ partial: true }));
    expect(report.problems).toEqual([expect.objectContaining({ sheet: '处分', row: 2, column: '处分种类' })]);
    // The row never became a command: NS-0003's other rows are fine, so its stream is appended without the sanction.
    expect((await store.readStream('cadre-NS-0003')).map((e) => e.type)).not.toContain('SanctionImposed');
    expect((await store.readStream('cadre-NS-0001')).length).toBeGreaterThan(0);
    const refused = await exampleWith('谈话', 2, 4, '2999-01-01');
    const db2 = await createTestDatabase('intake-partial');
    const store2 = await PostgresEventStore.open({ connectionString: db2.url });
    try {
      const partial = await intakeSpreadsheet(store2, refused, options({ partial: true }));
      expect(partial.problems).toEqual([expect.objectContaining({ sheet: '谈话', row: 2, code: 'effective-date-in-future' })]);
      // The decider refused a row of NS-0003: none of NS-0003's rows is stored; the others are.
      expect(await store2.readStream('cadre-NS-0003')).toEqual([]);
      expect((await store2.readStream('cadre-NS-0002')).map((e) => e.type)).toEqual(['CadreRegistered', 'AnnualReviewRecorded', 'CadrePromoted']);
    } finally {
      await store2.close();
      await db2.drop();
    }
  });

  it('reads a CSV saved by Excel on a Chinese Windows: GB18030, Excel serial dates and 2021年3月15日', async () => {
    const csv = ['干部编号,姓名,单位编号,辖区,职务,职务层次,领导职务,主要负责人,生效日期', 'CSV-1,仇英,ak,CN-SN,副县长,县处级副职,是,否,42078', 'CSV-2,解缙,ak,CN-SN,科员,乡科级副职,否,否,2021年3月15日'].join('\r\n');
    const path = join(dir, '干部登记.csv');
    const bytes = encodeGb18030(csv);
    expect(new TextDecoder('gb18030').decode(bytes)).toBe(csv); // the test's own table is right
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow(); // and it is not UTF-8
    await writeFile(path, bytes);
    const report = await intakeSpreadsheet(store, path, options());
    expect(report.problems).toEqual([]);
    expect((await store.readStream('cadre-CSV-1'))[0]).toMatchObject({ effectiveAt: '2015-03-15', data: { name: '仇英' } });
    expect((await store.readStream('cadre-CSV-2'))[0]).toMatchObject({ effectiveAt: '2021-03-15', data: { name: '解缙' } });
  });

  it('historical mode records a promotion made inside a lock as a conflict; live mode refuses it', async () => {
    const path = join(dir, 'history.xlsx');
    await writeTemplate(path);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    workbook.getWorksheet('干部登记')!.getRow(2).values = ['H-1', '高峰', 'ns', 'CN-SN', '局长', '乡科级正职', '是', '是', '', '', '省管', '2015-01-01', '', ''];
    workbook.getWorksheet('组织调整')!.getRow(2).values = ['H-1', '降职', '副局长', '乡科级副职', '是', '否', '', '', '', '2019-03-15', '陕组干〔2019〕8号', ''];
    workbook.getWorksheet('提拔')!.getRow(2).values = ['H-1', '局长', '乡科级正职', '是', '是', '', '', '', '', '2020-06-01', '陕组干〔2020〕2号', ''];
    await workbook.xlsx.writeFile(path);

    const live = await intakeSpreadsheet(store, path, options());
    expect(live.problems).toEqual([expect.objectContaining({ sheet: '提拔', row: 2, column: '生效日期', code: 'promotion-locked', message: expect.stringContaining('影响期内不得提拔') })]);
    expect(await eventCount()).toBe(0);

    const historical = await intakeSpreadsheet(store, path, options({ mode: 'historical' }));
    expect(historical.problems).toEqual([]);
    expect(historical.conflicts).toEqual([expect.objectContaining({ sheet: '提拔', row: 2, cadreId: 'H-1', code: 'promotion-locked' })]);
    expect((await store.readStream('cadre-H-1')).map((e) => e.type)).toEqual(['CadreRegistered', 'CadreAdjusted', 'CadrePromoted']);
  });

  it('reads who held a talk (谈话人) and which level took a measure (作出决定的管理权限), columns added last', async () => {
    const path = join(dir, 'holders.xlsx');
    await writeTemplate(path);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    // Required columns are marked with *.
    const headers = (sheet: string) => (workbook.getWorksheet(sheet)!.getRow(1).values as string[]).filter(Boolean).map((h) => h.replace(/\*$/, ''));
    expect([headers('谈话').at(-1), headers('组织调整').at(-1), headers('处分').at(-1)]).toEqual(['谈话人', '作出决定的管理权限', '作出决定的管理权限']);
    const put = (sheet: string, values: Record<string, string>) => {
      const row = workbook.getWorksheet(sheet)!.getRow(2);
      headers(sheet).forEach((header, i) => (row.getCell(i + 1).value = values[header] ?? null));
    };
    put('干部登记', { 干部编号: 'T-1', 姓名: '高峰', 单位编号: 'ns', 辖区: 'CN-XX', 职务: '局长', 职务层次: '乡科级正职', 领导职务: '是', 主要负责人: '是', 管理权限: '省管', 生效日期: '2015-01-01' });
    put('谈话', { 干部编号: 'T-1', 谈话类型: '约谈', 事由: '落实情况考核排名后两位', 谈话人: '组织部长', 生效日期: '2022-02-01' });
    put('组织调整', { 干部编号: 'T-1', 调整方式: '降职', 职务: '副局长', 职务层次: '乡科级副职', 领导职务: '是', 主要负责人: '否', 管理权限: '市管', 作出决定的管理权限: '省管', 生效日期: '2022-03-01' });
    await workbook.xlsx.writeFile(path);
    const report = await intakeSpreadsheet(store, path, options());
    expect(report.problems).toEqual([]);
    const stream = await store.readStream('cadre-T-1');
    expect(stream.map((e) => [e.type, e.data.heldBy ?? e.data.measureTakenBy])).toEqual([
      ['CadreRegistered', undefined],
      ['TalkHeld', 'organization-department-head'],
      ['CadreAdjusted', 'provincial'],
    ]);
  });

  it('names an unknown sheet, a misspelled header and a missing required column', async () => {
    const path = join(dir, 'headers.xlsx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('奖金').addRow(['干部编号']);
    const cautions = workbook.addWorksheet('诫勉');
    cautions.addRow(['干部编号', '事因', '生效日期']);
    cautions.addRow(['C-1', '作风问题', '2020-01-01']);
    await workbook.xlsx.writeFile(path);
    const report = await intakeSpreadsheet(store, path, options());
    expect(report.problems.map((p) => [p.sheet, p.row, p.column, p.message.split(';')[0]])).toEqual([
      ['奖金', null, null, '不认识的工作表"奖金"'],
      ['诫勉', 1, '事因', '表"诫勉"没有"事因"这一列'],
      ['诫勉', 1, '事由', '缺少必填列"事由"'],
    ]);
    expect(report.appended).toBe(false);
  });
});

function encodeGb18030(text: string): Buffer {
  // Node decodes GB18030 but does not encode it: the few characters of this test, by table.
  const table: Record<string, number[]> = {
    干: [0xb8, 0xc9], 部: [0xb2, 0xbf], 编: [0xb1, 0xe0], 号: [0xba, 0xc5], 姓: [0xd0, 0xd5], 名: [0xc3, 0xfb], 单: [0xb5, 0xa5], 位: [0xce, 0xbb],
    辖: [0xcf, 0xbd], 区: [0xc7, 0xf8], 职: [0xd6, 0xb0], 务: [0xce, 0xf1], 层: [0xb2, 0xe3], 次: [0xb4, 0xce], 领: [0xc1, 0xec], 导: [0xb5, 0xbc],
    主: [0xd6, 0xf7], 要: [0xd2, 0xaa], 负: [0xb8, 0xba], 责: [0xd4, 0xf0], 人: [0xc8, 0xcb], 生: [0xc9, 0xfa], 效: [0xd0, 0xa7], 日: [0xc8, 0xd5],
    期: [0xc6, 0xda], 仇: [0xb3, 0xf0], 英: [0xd3, 0xa2], 副: [0xb8, 0xb1], 县: [0xcf, 0xd8], 长: [0xb3, 0xa4], 处: [0xb4, 0xa6], 级: [0xbc, 0xb6],
    是: [0xca, 0xc7], 否: [0xb7, 0xf1], 解: [0xbd, 0xe2], 缙: [0xe7, 0xc6], 科: [0xbf, 0xc6], 员: [0xd4, 0xb1], 乡: [0xcf, 0xe7], 年: [0xc4, 0xea], 月: [0xd4, 0xc2],
  };
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code < 0x80) bytes.push(code);
    else if (table[ch]) bytes.push(...table[ch]);
    else throw new Error(`no GB18030 bytes for ${ch} in this test's table`);
  }
  return Buffer.from(bytes);
}

