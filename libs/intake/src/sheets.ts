import {
  IDENTIFIER_PATTERN,
  MAX_DOCUMENT_REF_LENGTH,
  MAX_NOTE_LENGTH,
  ZH,
  cadreStream,
  unitStream,
  type CadreCommand,
  type ImposeSanction,
  type Position,
  type UnitCommand,
  type Requested,
} from '@cadre-ledger/domain';
import { isBlank, parseBoolean, parseDate, parseEnum, parseEnumList, parseShare, parseWhole, parseYear, textOf, type Cell, type Parsed } from './cells';

/**
 * The facts HR departments keep in spreadsheets, one sheet per fact type, with Chinese column
 * headers (the API's field names are accepted too). Every sheet needs the cadre's id (干部编号):
 * names are not unique and are never used to find a person. Each row becomes a typed command of
 * the one command path (a renamed command field breaks the compile here), or a problem per cell.
 */
export interface Column<Key extends string = string, T = unknown, Required extends boolean = boolean> {
  key: Key;
  /** The header as the template writes it; `aliases` are also accepted (the API's field name first). */
  header: string;
  aliases: string[];
  required: Required;
  parse: (cell: Cell) => Parsed<T>;
  /** What the template's second row says about the column. */
  hint: string;
}

export type IntakeCommand = { stream: string; command: Requested<CadreCommand> | Requested<UnitCommand> };

export interface SheetDefinition {
  /** The sheet's name in a workbook (and a CSV file's name without its extension). */
  name: string;
  aliases: string[];
  columns: readonly Column[];
  /** Builds the command from the row's parsed values (every required one present, each parsed by its column). */
  build(values: Record<string, unknown>, actor: string): IntakeCommand;
  /** The order sheets are taken in (registrations first, so that a cadre exists before its facts). */
  order: number;
}

/** A row's values as its columns parse them: the required ones present, the others perhaps. */
type ValuesOf<Columns extends readonly Column[]> = { [C in Extract<Columns[number], { required: true }> as C['key']]: C extends Column<string, infer T> ? T : never } & {
  [C in Extract<Columns[number], { required: false }> as C['key']]?: C extends Column<string, infer T> ? T : never;
};

/**
 * A sheet whose `build` reads its row's values typed by its own columns: `readRow` hands over only
 * values its columns parsed, with every required one present, so the values are what the columns say.
 */
function sheet<const Columns extends readonly Column[]>(definition: { name: string; aliases: string[]; order: number; columns: Columns; build(values: ValuesOf<Columns>, actor: string): IntakeCommand }): SheetDefinition {
  return { ...definition, build: (values, actor) => definition.build(values as ValuesOf<Columns>, actor) };
}

const text = (max: number, what = '文本') => (cell: Cell): Parsed<string> => {
  const value = textOf(cell);
  if (value.length > max) return { problem: `${what}不能超过 ${max} 个字符` };
  return { value };
};
const identifier = (cell: Cell): Parsed<string> => {
  const value = textOf(cell);
  return IDENTIFIER_PATTERN.test(value) ? { value } : { problem: '编号只能由字母、数字、- 和 _ 组成,以字母或数字开头,最长 64 位' };
};

function column<Key extends string, T, Required extends boolean>(key: Key, header: string, aliases: string[], required: Required, parse: (cell: Cell) => Parsed<T>, hint: string): Column<Key, T, Required> {
  return { key, header, aliases, required, parse, hint };
}

const cadreId = column('cadreId', '干部编号', ['cadreId'], true, identifier, '必填。干部的唯一编号(姓名不唯一,不用于匹配)');
const effectiveAt = column('effectiveAt', '生效日期', ['effectiveAt'], true, parseDate, '必填。决定生效的日期,如 2021-03-15');
const documentRef = column('documentRef', '文号', ['documentRef'], false, text(MAX_DOCUMENT_REF_LENGTH, '文号'), '如 陕组干〔2021〕8号');
const note = column('note', '备注', ['note'], false, text(MAX_NOTE_LENGTH, '备注'), '');
const managedBy = column('managedBy', '管理权限', ['managedBy'], false, (c) => parseEnum(c, ZH.managedBy), Object.values(ZH.managedBy).join('/'));
// Columns added after a sheet was first published go last, so that rows filled in by position stay right.
const measureTakenBy = column('measureTakenBy', '作出决定的管理权限', ['measureTakenBy'], false, (c) => parseEnum(c, ZH.managedBy), `${Object.values(ZH.managedBy).join('/')};空则取生效前一日干部的管理权限`);

/** The columns of a post (职务): all of them, or (for an adjustment without a new post) none. */
function positionColumns<Required extends boolean>(required: Required) {
  return [
    column('title', '职务', ['title'], required, text(200, '职务'), required ? '必填' : '调整后的职务(无则留空)'),
    column('level', '职务层次', ['level'], required, (c) => parseEnum(c, ZH.positionLevel), Object.values(ZH.positionLevel).join('/')),
    column('leadership', '领导职务', ['leadership'], required, parseBoolean, '是/否'),
    column('principal', '主要负责人', ['principal'], required, parseBoolean, '是/否'),
    column('partySecretary', '党委书记', ['partySecretary'], false, parseBoolean, '是/否(党委(党组)书记)'),
    column('portfolios', '分管领域', ['portfolios'], false, (c) => parseEnumList(c, ZH.portfolio), `用"、"分隔:${Object.values(ZH.portfolio).join('、')}`),
  ] as const;
}
type PostValues = ValuesOf<ReturnType<typeof positionColumns<true>>>;

function positionOf(v: PostValues): Position {
  return {
    title: v.title,
    level: v.level,
    leadership: v.leadership,
    principal: v.principal,
    ...(v.portfolios !== undefined && v.portfolios.length > 0 ? { portfolios: v.portfolios } : {}),
    ...(v.partySecretary !== undefined ? { partySecretary: v.partySecretary } : {}),
  };
}

/** A kind of either system (警告 is both; 开除党籍 is the party's 开除): the 处分类别 column says which, and the decider checks the pair. */
function sanctionKind(cell: Cell): Parsed<ImposeSanction['data']['kind']> {
  for (const labels of [ZH.partySanction, ZH.administrativeSanction] as Record<ImposeSanction['data']['kind'], string>[]) {
    const parsed = parseEnum(cell, labels);
    if ('value' in parsed) return parsed;
  }
  return { problem: `应为以下之一:${[...new Set([...Object.values(ZH.partySanction), ...Object.values(ZH.administrativeSanction)])].join('、')}` };
}

/** A member only when the cell gave one (an empty text is none). */
const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } => (value === undefined || value === '' ? {} : ({ [key]: value } as { [P in K]?: V }));
const meta = (v: { documentRef?: string }, actor: string) => ({ actor, documentRef: v.documentRef || null });
const noted = (v: { note?: string }) => optional('note', v.note);

export const SHEETS: SheetDefinition[] = [
  sheet({
    name: '干部登记',
    aliases: ['cadres', 'registrations'],
    order: 0,
    columns: [
      cadreId,
      column('name', '姓名', ['name'], true, text(100, '姓名'), '必填'),
      column('unitId', '单位编号', ['unitId'], true, identifier, '必填。所在单位的编号'),
      column('jurisdiction', '辖区', ['jurisdiction'], true, text(64, '辖区'), '必填。规则辖区代码,如 CN-SN(陕西)、CN-HN-ZJJ(张家界)、CN'),
      ...positionColumns(true),
      managedBy,
      effectiveAt,
      documentRef,
      note,
    ],
    build: (v, actor) => ({
      stream: cadreStream(v.cadreId),
      command: {
        type: 'RegisterCadre',
        data: { cadreId: v.cadreId, name: v.name, unitId: v.unitId, jurisdiction: v.jurisdiction, position: positionOf(v), ...optional('managedBy', v.managedBy), ...noted(v), effectiveAt: v.effectiveAt },
        metadata: meta(v, actor),
      },
    }),
  }),
  sheet({
    name: '单位考核',
    aliases: ['unit-assessments'],
    order: 1,
    columns: [
      column('unitId', '单位编号', ['unitId'], true, identifier, '必填'),
      column('year', '年度', ['year'], true, parseYear, '必填。如 2021'),
      column('grade', '等次', ['grade'], true, (c) => parseEnum(c, ZH.unitGrade), Object.values(ZH.unitGrade).join('/')),
      effectiveAt,
      documentRef,
      note,
    ],
    build: (v, actor) => ({
      stream: unitStream(v.unitId),
      command: { type: 'RecordUnitAssessment', data: { unitId: v.unitId, year: v.year, grade: v.grade, ...noted(v), effectiveAt: v.effectiveAt }, metadata: meta(v, actor) },
    }),
  }),
  sheet({
    name: '调动',
    aliases: ['transfers'],
    order: 2,
    columns: [cadreId, column('unitId', '调入单位编号', ['unitId', '单位编号'], true, identifier, '必填'), ...positionColumns(true), managedBy, effectiveAt, documentRef, note],
    build: (v, actor) => ({
      stream: cadreStream(v.cadreId),
      command: { type: 'TransferCadre', data: { unitId: v.unitId, position: positionOf(v), ...optional('managedBy', v.managedBy), ...noted(v), effectiveAt: v.effectiveAt }, metadata: meta(v, actor) },
    }),
  }),
  sheet({
    name: '提拔',
    aliases: ['promotions'],
    order: 3,
    columns: [cadreId, ...positionColumns(true), column('consultationRef', '征求意见文号', ['consultationRef'], false, text(MAX_DOCUMENT_REF_LENGTH, '文号'), '影响期满后提拔时,征求上一级组织人事部门意见的文号'), managedBy, effectiveAt, documentRef, note],
    build: (v, actor) => ({
      stream: cadreStream(v.cadreId),
      command: {
        type: 'PromoteCadre',
        data: { newPosition: positionOf(v), ...optional('consultationRef', v.consultationRef), ...optional('managedBy', v.managedBy), ...noted(v), effectiveAt: v.effectiveAt },
        metadata: meta(v, actor),
      },
    }),
  }),
  sheet({
    name: '组织调整',
    aliases: ['adjustments'],
    order: 4,
    columns: [cadreId, column('kind', '调整方式', ['kind'], true, (c) => parseEnum(c, ZH.adjustmentKind), Object.values(ZH.adjustmentKind).join('/')), ...positionColumns(false), managedBy, effectiveAt, documentRef, note, measureTakenBy],
    build: (v, actor) => ({
      stream: cadreStream(v.cadreId),
      command: {
        type: 'AdjustCadre',
        data: {
          kind: v.kind,
          // A post is all of its required columns or none of them (readRow): a title means a post.
          ...(v.title !== undefined ? { newPosition: positionOf(v as PostValues) } : {}),
          ...optional('managedBy', v.managedBy),
          ...optional('measureTakenBy', v.measureTakenBy),
          ...noted(v),
          effectiveAt: v.effectiveAt,
        },
        metadata: meta(v, actor),
      },
    }),
  }),
  sheet({
    name: '年度考核',
    aliases: ['annual-reviews'],
    order: 5,
    columns: [
      cadreId,
      column('year', '年度', ['year'], true, parseYear, '必填。考核年度,如 2021'),
      column('grade', '等次', ['grade'], true, (c) => parseEnum(c, ZH.reviewGrade), Object.values(ZH.reviewGrade).join('/')),
      column('unfavourableVoteShare', '民主测评不称职票比例', ['unfavourableVoteShare'], false, parseShare, '基本称职和不称职票所占比例,如 30% 或 0.3'),
      column('quotaOverrideRef', '超比例依据文号', ['quotaOverrideRef'], false, text(MAX_DOCUMENT_REF_LENGTH, '文号'), '优秀超过比例时,批准的文号'),
      effectiveAt,
      documentRef,
      note,
    ],
    build: (v, actor) => ({
      stream: cadreStream(v.cadreId),
      command: {
        type: 'RecordAnnualReview',
        data: { year: v.year, grade: v.grade, ...optional('unfavourableVoteShare', v.unfavourableVoteShare), ...optional('quotaOverrideRef', v.quotaOverrideRef), ...noted(v), effectiveAt: v.effectiveAt },
        metadata: meta(v, actor),
      },
    }),
  }),
  sheet({
    name: '表彰',
    aliases: ['commendations'],
    order: 6,
    columns: [
      cadreId,
      column('level', '表彰级别', ['level'], true, (c) => parseEnum(c, ZH.commendationLevel), Object.values(ZH.commendationLevel).join('/')),
      column('kind', '表彰种类', ['kind'], true, (c) => parseEnum(c, ZH.commendationKind), Object.values(ZH.commendationKind).join('/')),
      column('title', '表彰名称', ['title'], true, text(200, '表彰名称'), '必填'),
      column('field', '表彰领域', ['field'], false, (c) => parseEnum(c, ZH.commendationField), Object.values(ZH.commendationField).join('/')),
      column('awardedBy', '授予机关', ['awardedBy'], false, (c) => parseEnum(c, ZH.awardedBy), Object.values(ZH.awardedBy).join('/')),
      effectiveAt,
      documentRef,
      note,
    ],
    build: (v, actor) => ({
      stream: cadreStream(v.cadreId),
      command: {
        type: 'IssueCommendation',
        data: { level: v.level, kind: v.kind, title: v.title, ...optional('field', v.field), ...optional('awardedBy', v.awardedBy), ...noted(v), effectiveAt: v.effectiveAt },
        metadata: meta(v, actor),
      },
    }),
  }),
  sheet({
    name: '诫勉',
    aliases: ['cautions'],
    order: 7,
    columns: [cadreId, column('reason', '事由', ['reason'], true, text(2000, '事由'), '必填'), effectiveAt, documentRef, note],
    build: (v, actor) => ({ stream: cadreStream(v.cadreId), command: { type: 'IssueCaution', data: { reason: v.reason, ...noted(v), effectiveAt: v.effectiveAt }, metadata: meta(v, actor) } }),
  }),
  sheet({
    name: '谈话',
    aliases: ['talks'],
    order: 8,
    columns: [cadreId, column('kind', '谈话类型', ['kind'], true, (c) => parseEnum(c, ZH.talkKind), Object.values(ZH.talkKind).join('/')), column('reason', '事由', ['reason'], true, text(2000, '事由'), '必填'), effectiveAt, documentRef, note, column('heldBy', '谈话人', ['heldBy'], false, (c) => parseEnum(c, ZH.talkHolder), Object.values(ZH.talkHolder).join('/'))],
    build: (v, actor) => ({ stream: cadreStream(v.cadreId), command: { type: 'HoldTalk', data: { kind: v.kind, reason: v.reason, ...optional('heldBy', v.heldBy), ...noted(v), effectiveAt: v.effectiveAt }, metadata: meta(v, actor) } }),
  }),
  sheet({
    name: '处分',
    aliases: ['sanctions'],
    order: 9,
    columns: [
      cadreId,
      column('system', '处分类别', ['system'], true, (c) => parseEnum(c, ZH.sanctionSystem), '党纪/政务'),
      column('kind', '处分种类', ['kind'], true, sanctionKind, `党纪:${Object.values(ZH.partySanction).join('/')};政务:${Object.values(ZH.administrativeSanction).join('/')}`),
      column('probationMonths', '留党察看期限(月)', ['probationMonths'], false, (c) => parseWhole(c, 12, 24), '留党察看时填 12 或 24'),
      effectiveAt,
      documentRef,
      note,
      measureTakenBy,
    ],
    // 警告 is a kind of both systems: the code is the same, the category decides which.
    build: (v, actor) => ({
      stream: cadreStream(v.cadreId),
      command: { type: 'ImposeSanction', data: { system: v.system, kind: v.kind, ...optional('probationMonths', v.probationMonths), ...optional('measureTakenBy', v.measureTakenBy), ...noted(v), effectiveAt: v.effectiveAt }, metadata: meta(v, actor) },
    }),
  }),
];

/** The sheet a name (a workbook's sheet name, or a CSV file's stem) stands for. */
export function sheetNamed(name: string): SheetDefinition | undefined {
  const wanted = name.trim().toLowerCase();
  return SHEETS.find((s) => s.name === name.trim() || s.aliases.includes(wanted));
}

export type RowProblem = { column: string | null; message: string };

/** Reads one row against its header: the values, or a Chinese problem for each cell that is wrong. */
export function readRow(sheet: SheetDefinition, header: Map<string, number>, cells: Cell[]): { values: Record<string, unknown> } | { problems: RowProblem[] } {
  const values: Record<string, unknown> = {};
  const problems: RowProblem[] = [];
  for (const c of sheet.columns) {
    const at = header.get(c.key);
    const cell = at === undefined ? undefined : cells[at];
    if (isBlank(cell)) {
      if (c.required) problems.push({ column: c.header, message: `"${c.header}"必填,不能为空` });
      continue;
    }
    const parsed = c.parse(cell);
    if ('problem' in parsed) problems.push({ column: c.header, message: `"${c.header}"${parsed.problem},实际为"${textOf(cell)}"` });
    else values[c.key] = parsed.value;
  }
  // A post is all of its required columns or none of them (组织调整 without a new post).
  const post = sheet.columns.filter((c) => ['title', 'level', 'leadership', 'principal'].includes(c.key));
  if (post.length > 0 && !post[0].required) {
    const given = post.filter((c) => values[c.key] !== undefined);
    if (given.length > 0 && given.length < post.length) {
      for (const c of post.filter((p) => values[p.key] === undefined)) problems.push({ column: c.header, message: `填写新职务时,"${c.header}"也必须填写` });
    }
  }
  return problems.length > 0 ? { problems } : { values };
}

/** Maps a header row to column keys; unknown headers are a problem (a misspelled header loses data). */
export function readHeader(sheet: SheetDefinition, cells: Cell[]): { header: Map<string, number> } | { problems: RowProblem[] } {
  const header = new Map<string, number>();
  const problems: RowProblem[] = [];
  cells.forEach((cell, index) => {
    const name = textOf(cell).replace(/\*$/, '').trim();
    if (name === '') return;
    const c = sheet.columns.find((col) => col.header === name || col.aliases.includes(name));
    if (!c) problems.push({ column: name, message: `表"${sheet.name}"没有"${name}"这一列;可用的列:${sheet.columns.map((col) => col.header).join('、')}` });
    else if (header.has(c.key)) problems.push({ column: name, message: `"${c.header}"这一列出现了两次` });
    else header.set(c.key, index);
  });
  for (const c of sheet.columns) if (c.required && !header.has(c.key)) problems.push({ column: c.header, message: `缺少必填列"${c.header}"` });
  return problems.length > 0 ? { problems } : { header };
}
