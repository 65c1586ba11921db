import ExcelJS from 'exceljs';
import { SHEETS, type SheetDefinition } from './sheets';

/** Sheets a workbook may carry for people, which the intake passes over. */
export const INSTRUCTION_SHEETS = ['填写说明', '说明', 'README'];

/** Example rows of the shipped example workbook (docs/import/示例.xlsx): a county, its cadres and their facts. */
const EXAMPLE: Record<string, (string | number)[][]> = {
  干部登记: [
    ['NS-0001', '赵文清', 'ningshan', 'CN-SN', '宁陕县人民政府县长', '县处级正职', '是', '是', '否', '', '省管', '2016-03-01', '陕组干〔2016〕12号', ''],
    ['NS-0002', '单雄信', 'ningshan', 'CN-SN', '宁陕县人民政府副县长', '县处级副职', '是', '否', '否', '安全生产、生态环保', '省管', '2017-05-10', '陕组干〔2017〕30号', ''],
    ['NS-0003', '曾国藩', 'ningshan-fgj', 'CN-SN', '宁陕县发展和改革局局长', '乡科级正职', '是', '是', '否', '', '县管', '2018-01-15', '宁组干〔2018〕2号', ''],
  ],
  单位考核: [['ningshan', 2020, '良好', '2021-02-10', '安考发〔2021〕1号', '']],
  调动: [['NS-0003', 'ningshan-jyj', '宁陕县教育局局长', '乡科级正职', '是', '是', '否', '', '县管', '2021-06-01', '宁组干〔2021〕15号', '']],
  提拔: [['NS-0002', '宁陕县委常委、副县长', '县处级副职', '是', '否', '否', '安全生产', '', '省管', '2022-03-01', '陕组干〔2022〕9号', '']],
  组织调整: [],
  年度考核: [
    ['NS-0001', 2019, '优秀', '', '', '2020-01-20', '宁考〔2020〕1号', ''],
    ['NS-0001', 2020, '优秀', '', '', '2021-01-20', '宁考〔2021〕1号', ''],
    ['NS-0002', 2020, '称职', '12%', '', '2021-01-20', '宁考〔2021〕1号', ''],
  ],
  表彰: [['NS-0001', '省级', '嘉奖', '全省脱贫攻坚先进个人', '脱贫攻坚', '省委、省政府', '2020-12-01', '陕发〔2020〕20号', '']],
  诫勉: [['NS-0003', '落实安全生产责任不力', '2019-08-12', '宁纪发〔2019〕5号', '']],
  谈话: [['NS-0003', '提醒谈话', '工作作风', '2019-03-05', '', '']],
  处分: [['NS-0003', '政务', '警告', '', '2019-10-20', '宁监委〔2019〕3号', '']],
};

/**
 * The intake's template (`ledger import --template xlsx`): a sheet per fact type with its Chinese
 * headers (required ones marked *), a note on each header saying what goes in it, drop-down lists
 * for the enumerations, and a 填写说明 sheet; with `example`, the rows of the shipped example.
 */
export async function writeTemplate(path: string, options: { example?: boolean } = {}): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'cadre-ledger';
  const instructions = workbook.addWorksheet(INSTRUCTION_SHEETS[0]);
  instructions.columns = [{ width: 18 }, { width: 22 }, { width: 8 }, { width: 90 }];
  instructions.addRow(['工作表', '列', '必填', '填写要求']).font = { bold: true };
  instructions.addRow(['(全部)', '', '', '每行一项事实。干部以"干部编号"识别,姓名不唯一,不用于匹配。日期可写作 2021-03-15、2021/3/15、2021年3月15日 或 Excel 日期。有一行出错时整个文件都不导入(除非选择"部分导入"),报告会列出工作表、行、列和原因。同一行再次导入不会重复记录。']);
  for (const sheet of SHEETS) {
    for (const c of sheet.columns) instructions.addRow([sheet.name, c.header, c.required ? '是' : '', c.hint]);
    addSheet(workbook, sheet, options.example ? (EXAMPLE[sheet.name] ?? []) : []);
  }
  await workbook.xlsx.writeFile(path);
}

function addSheet(workbook: ExcelJS.Workbook, sheet: SheetDefinition, rows: (string | number)[][]): void {
  const ws = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = sheet.columns.map((c) => ({ header: c.required ? `${c.header}*` : c.header, key: c.key, width: Math.max(12, c.header.length * 3 + 4) }));
  ws.getRow(1).font = { bold: true };
  // Rows first (from row 2), then the drop-downs: a validated empty cell already counts as a row.
  rows.forEach((row, i) => ws.getRow(i + 2).values = row);
  sheet.columns.forEach((c, i) => {
    const cell = ws.getRow(1).getCell(i + 1);
    if (c.hint) cell.note = c.hint;
    const choices = c.hint.split('/');
    if (choices.length > 1 && choices.length <= 12 && choices.every((x) => x.length > 0 && x.length <= 12 && !x.includes(':'))) {
      for (let r = 2; r <= 1000; r++) ws.getCell(r, i + 1).dataValidation = { type: 'list', allowBlank: !c.required, formulae: [`"${choices.join(',')}"`] };
    }
  });
}
