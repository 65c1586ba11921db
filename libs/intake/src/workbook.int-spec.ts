import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { readSpreadsheet } from './workbook';

/**
 * A workbook as large as a county's history reads back with every Chinese character intact: the
 * streaming reader of exceljs 4.4 cuts a character whose bytes straddle two chunks (U+FFFD), which
 * exceljs-utf8.ts mends. Shared strings (as Excel writes) and inline strings both.
 */
jest.setTimeout(120_000);

describe('reading a large workbook', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'workbook-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['shared strings', true],
    ['inline strings', false],
  ])('keeps every character across chunk boundaries (%s)', async (_kind, useSharedStrings) => {
    const path = join(dir, `big-${useSharedStrings}.xlsx`);
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings, useStyles: false });
    const sheet = writer.addWorksheet('诫勉');
    const reasons = ['落实安全生产责任不力', '工作作风漂浮', '履行全面从严治党主体责任不到位', '违反中央八项规定精神', '群众反映强烈、满意度低'];
    const rows = 40_000;
    for (let i = 0; i < rows; i++) sheet.addRow([`C-${i}`, `${reasons[i % reasons.length]}(第${i}号)`, '2020年3月15日']).commit();
    sheet.commit();
    await writer.commit();

    let read = 0;
    let broken = 0;
    for await (const row of readSpreadsheet(path)) {
      read += 1;
      const text = row.cells.map(String).join('|');
      if (text.includes('\uFFFD')) broken += 1;
      if (read === 12_345) expect(row.cells).toEqual([`C-12344`, `${reasons[12344 % reasons.length]}(第12344号)`, '2020年3月15日']);
    }
    expect([read, broken]).toEqual([rows, 0]);
  });
});
