import type { Pool, PoolClient } from 'pg';
import { runMigrations, type MigrationReport } from '@cadre-ledger/platform';
import { ADJUSTMENT_PROCEDURE, TOLERANCE_PROCEDURE, stepsOf, type Procedure } from '@cadre-ledger/domain';
import { READ_MODEL_MIGRATIONS_NAMESPACE, readModelMigrations } from './schema';

/**
 * What every table and column of the schema `reporting` holds, in Chinese and in English, for the
 * BI analyst who finds them with `\d+` or a tool's catalogue browser. Applied after the migrations
 * at every start (idempotent) and to a rebuild's fresh tables, so that a comment is never lost;
 * a test checks that every table and column has one and that no entry names a column that is gone.
 */
type Described = readonly [zh: string, en: string];
interface TableComment {
  table: Described;
  columns: Record<string, Described>;
}

const cadre: Described = ['干部编号', 'cadre id'];
/** A case's `step` column: the steps of its procedure's description. */
const stepComment = (procedure: Procedure, separator: string): Described => [`最近完成的步骤:${procedure.steps.map((s) => `${s.step} ${s.zh}`).join(separator)}`, `last step taken: ${stepsOf(procedure).join(', ')}`];
const unit: Described = ['单位编号(该行日期时所在单位)', 'unit id (the cadre\'s unit on the row\'s date)'];

export const READ_MODEL_COMMENTS: Record<string, TableComment> = {
  cadre_eligibility: {
    table: ['每名干部截至今日的提拔资格结论(政策引擎 evaluate 的结果)', 'each cadre\'s promotion verdict as of today (the policy engine\'s evaluate)'],
    columns: {
      cadre_id: cadre,
      unit_id: ['今日所在单位编号', 'unit id today'],
      jurisdiction: ['适用的规则辖区(如 CN-SN 陕西)', 'rule jurisdiction (e.g. CN-SN, Shaanxi)'],
      as_of: ['结论所依据的日期(中国标准时间的今日)', 'the date the verdict is as of (today, China Standard Time)'],
      promotable: ['是否可以提拔:没有任何影响期限制时为真', 'promotable: true exactly when no lock holds'],
      next_lock_end: ['最早结束的影响期的结束日(不含当日);无则为空', 'earliest end (exclusive) of a lock that holds; null when none'],
      locks: ['影响期限制(JSON:种类、规则、起止、条款)', 'locks (JSON: kind, rule, from, until, clause)'],
      priorities: ['优先使用情形(JSON)', 'priorities (JSON)'],
      review_triggers: ['需要研判调整的情形(能下,JSON)', 'review triggers (能下, JSON)'],
      conditions: ['提拔的附加条件(如征求上级意见,JSON)', 'conditions of a promotion (e.g. consultation, JSON)'],
      benefits: ['激励待遇(如奖金上浮,JSON)', 'benefits (e.g. bonus, JSON)'],
      verdict: ['完整结论(JSON,与 API 返回一致)', 'the whole verdict (JSON, as the API answers it)'],
      revision: ['计算时干部事件流的版本号', 'the cadre stream\'s revision it was computed from'],
    },
  },
  promotion_locks: {
    table: ['今日有效的影响期限制,每项一行', 'locks holding today, one row each'],
    columns: {
      cadre_id: cadre,
      lock_id: ['限制编号(规则@事实)', 'lock id (rule@fact)'],
      unit_id: ['今日所在单位编号', 'unit id today'],
      kind: ['限制种类(如 demotion 降职、party-warning 党内警告)', 'lock kind (e.g. demotion, party-warning)'],
      rule_id: ['产生该限制的规则编号', 'id of the rule that produced it'],
      from_date: ['影响期开始日', 'first day of the lock'],
      until_date: ['影响期结束日(不含当日);未结案等无期限时为空', 'end (exclusive); null while open-ended'],
      source_event_id: ['产生该限制的事实的事件编号', 'event id of the fact behind it'],
    },
  },
  tolerance_cases: {
    table: ['容错纠错案件及其进行到的步骤', 'tolerance (容错纠错) cases and the step each is at'],
    columns: {
      cadre_id: cadre,
      case_id: ['案件编号', 'case id'],
      unit_id: ['今日所在单位编号', 'unit id today'],
      situation: ['容错情形代码(如 SN-2)', 'tolerance situation code (e.g. SN-2)'],
      step: stepComment(TOLERANCE_PROCEDURE, '/'),
      outcome: ['认定结论:免责/减责/不予容错;未认定为空', 'outcome: exempted, mitigated, rejected; null before the decision'],
      requested_on: ['提出申请日期', 'date requested'],
      last_step_on: ['最近一步的日期', 'date of the last step'],
      days_waiting: ['自最近一步起等待的天数(已报备为 0)', 'days waiting since the last step (0 once filed)'],
    },
  },
  adjustment_cases: {
    table: ['能上能下办法第十五条调整程序案件(报告→审核→报批→决定→谈话)', 'adjustment cases of 第十五条 (report → review → approval → decision → talk)'],
    columns: {
      cadre_id: cadre,
      case_id: ['案件编号', 'case id'],
      unit_id: ['今日所在单位编号', 'unit id today'],
      triggers: ['本案回应的研判情形(规则编号,JSON)', 'the review triggers it answers (rule ids, JSON)'],
      step: stepComment(ADJUSTMENT_PROCEDURE, '/'),
      approved: ['报批结果;未报批为空', 'approval; null before it'],
      reported_on: ['报告日期', 'date reported'],
      last_step_on: ['最近一步的日期', 'date of the last step'],
      days_waiting: ['自最近一步起等待的天数(已结案为 0)', 'days waiting since the last step (0 once closed)'],
    },
  },
  mechanism_touches: {
    table: ['三项机制涉及的人次:干部、年度、当时所在单位、机制', 'persons touched by each mechanism: cadre, year, unit then, mechanism'],
    columns: {
      cadre_id: cadre,
      year: ['年度(事实生效日的年份)', 'year (of the fact\'s effective date)'],
      unit_id: ['当时所在单位编号', 'unit id at the time'],
      mechanism: ['机制:incentive 鼓励激励 / tolerance 容错纠错 / adjustment 能上能下', 'mechanism: incentive, tolerance, adjustment'],
    },
  },
  cadre_units: {
    table: ['干部曾任职的每个单位(单位事实据此影响干部)', 'every unit a cadre sat in (whose facts concern it)'],
    columns: { unit_id: ['单位编号', 'unit id'], cadre_id: cadre },
  },
  cadres: {
    table: ['干部名录:每名干部今日的姓名、职务与单位', 'the directory: each cadre today, with name, post and unit'],
    columns: {
      cadre_id: cadre,
      name: ['姓名(姓名不唯一,不用于匹配)', 'name (not unique: never used to match people)'],
      unit_id: ['今日所在单位编号', 'unit id today'],
      jurisdiction: ['适用的规则辖区', 'rule jurisdiction'],
      title: ['职务', 'post title'],
      position_level: ['职务层次(如 county-chief 县处级正职)', 'post level (e.g. county-chief)'],
      leadership: ['是否领导职务', 'a leadership post'],
      principal: ['是否单位主要负责人', 'the unit\'s principal'],
      party_secretary: ['是否党委(党组)书记', 'party secretary of the unit'],
      portfolios: ['分管领域(JSON)', 'portfolios in charge (JSON)'],
      managed_by: ['干部管理权限:central 中管/provincial 省管/municipal 市管/county 县管', 'managed by: central, provincial, municipal, county'],
      position_since: ['现任职务的生效日期', 'effective date of the current post'],
      registered_on: ['登记入库的生效日期', 'effective date of registration'],
      revision: ['干部事件流的版本号', 'the cadre stream\'s revision'],
      name_pinyin: ['姓名全拼(小写无空格,复姓与多音姓氏按姓读)', 'name in full pinyin (lower case, no spaces; surnames read as surnames)'],
      name_initials: ['姓名拼音首字母(如 zwq)', 'pinyin initials of the name (e.g. zwq)'],
      unit_name: ['今日所在单位名称;单位未登记时为空', 'name of the unit today; null when the unit is not registered'],
    },
  },
  units: {
    table: ['已登记的单位及其层级', 'registered units and their hierarchy'],
    columns: {
      unit_id: ['单位编号', 'unit id'],
      name: ['单位名称', 'unit name'],
      level: ['登记的层级:province 省级/city 市/county 县/township 乡镇/department 部门', 'level as registered: province, city, county, township, department'],
      parent_unit_id: ['上级单位编号', 'parent unit id'],
      jurisdiction: ['适用的规则辖区', 'rule jurisdiction'],
      registered_on: ['登记的生效日期', 'effective date of registration'],
      effective_level: ['实际层级:部门取其上级单位的层级', 'effective level: a department takes its parent\'s'],
      path_ids: ['自最上级到本单位的单位编号', 'unit ids from the top to this unit'],
      path_names: ['自最上级到本单位的单位名称', 'unit names from the top to this unit'],
    },
  },
  facts: {
    table: ['干部的每一项事实(决定),按生效日期统计用', 'every fact (decision) about a cadre, for counting by effective date'],
    columns: {
      event_id: ['事件编号', 'event id'],
      cadre_id: cadre,
      revision: ['在干部事件流中的序号', 'position in the cadre\'s stream'],
      type: ['事实类型(如 CautionIssued 诫勉、CadreAdjusted 调整)', 'fact type (e.g. CautionIssued, CadreAdjusted)'],
      effective_at: ['生效日期', 'effective date'],
      recorded_at: ['记入账本的时间', 'when the ledger recorded it'],
      unit_id: unit,
      kind: ['种类或等次(如 excellent、party/warning、demotion)', 'kind or grade (e.g. excellent, party/warning, demotion)'],
      document_ref: ['文号', 'document number (文号)'],
      actor: ['录入者', 'who recorded it'],
      retracted: ['是否已被撤回(录入错误)', 'retracted (a wrong entry)'],
    },
  },
  promotion_conflicts: {
    table: ['选人用人检查:生效日期落在影响期内的提拔,每对(提拔、影响期)一行,按现在的记录', 'the 选人用人 audit: promotions whose effective date lies inside a lock, one row per (promotion, lock), as the records stand now'],
    columns: {
      cadre_id: cadre,
      promotion_event_id: ['提拔事件编号', 'the promotion\'s event id'],
      lock_id: ['影响期编号', 'lock id'],
      unit_id: ['提拔之日所在单位编号', 'unit id on the promotion\'s date'],
      promoted_on: ['提拔生效日期', 'the promotion\'s effective date'],
      promotion_recorded_at: ['提拔记入账本的时间(导入的历史提拔为导入时间)', 'when the promotion was recorded (for an imported one: the import)'],
      kind: ['影响期种类', 'lock kind'],
      rule_id: ['产生影响期的规则', 'the rule that produced the lock'],
      from_date: ['影响期起始日', 'lock start'],
      until_date: ['影响期结束日(不含当日);长期有效为空', 'lock end (exclusive); null while open-ended'],
      source_event_id: ['产生影响期的事实的事件编号', 'event id of the fact behind the lock'],
      citation: ['所依据的条款(JSON:文件、条、原文)', 'the clause (JSON: document, article, text)'],
      known_at_promotion: ['提拔记入时影响期是否已在记录中;为假即事后发现(带病提拔的情形)', 'whether the lock was in the records when the promotion was recorded; false is the retroactive case (带病提拔)'],
      lock_recorded_at: ['产生影响期的事实记入账本的时间', 'when the fact behind the lock was recorded'],
    },
  },
};

export const STATS_VIEW_COMMENT: Described = ['每年、每单位、每项机制涉及的人数(安康的统计口径)', 'persons per year, unit and mechanism (as 安康 reports them)'];

const STATS_VIEW_COLUMNS: Record<string, Described> = {
  year: ['年度', 'year'],
  unit_id: ['当时所在单位编号', 'unit id at the time'],
  mechanism: ['机制', 'mechanism'],
  persons: ['人数(同一人一年只计一次)', 'persons (each counted once a year)'],
};

export const VIEW_COMMENTS: Record<string, TableComment> = {
  mechanism_stats: { table: STATS_VIEW_COMMENT, columns: STATS_VIEW_COLUMNS },
  promotion_conflicts_per_unit_year: {
    table: ['每单位每年影响期内提拔的数量(选人用人检查)', 'promotions inside a lock per unit and year (选人用人 audit)'],
    columns: {
      unit_id: ['提拔之日所在单位编号', 'unit id on the promotion\'s date'],
      year: ['提拔年度', 'year of the promotion'],
      conflicts: ['(提拔、影响期)对数', '(promotion, lock) pairs'],
      persons: ['涉及人数', 'persons'],
      retroactive: ['其中提拔时尚未记录的(事后发现)', 'of which not in the records at the promotion (found later)'],
    },
  },
};

const text = ([zh, en]: Described) => `${zh} / ${en}`;

/** COMMENT ON every table and column of `reporting` (the `_next` copies of a rebuild with `suffix`). */
export async function applyReadModelComments(client: Pool | PoolClient, suffix = ''): Promise<void> {
  const statements: string[] = [];
  const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
  for (const [table, comment] of Object.entries(READ_MODEL_COMMENTS)) {
    statements.push(`COMMENT ON TABLE reporting.${table}${suffix} IS ${literal(text(comment.table))}`);
    for (const [column, described] of Object.entries(comment.columns)) statements.push(`COMMENT ON COLUMN reporting.${table}${suffix}.${column} IS ${literal(text(described))}`);
  }
  if (suffix === '') {
    for (const [view, comment] of Object.entries(VIEW_COMMENTS)) {
      statements.push(`COMMENT ON VIEW reporting.${view} IS ${literal(text(comment.table))}`);
      for (const [column, described] of Object.entries(comment.columns)) statements.push(`COMMENT ON COLUMN reporting.${view}.${column} IS ${literal(text(described))}`);
    }
  }
  await client.query(statements.join(';\n'));
}

/** The read models' migrations, then their comments: what every process runs at start. */
export async function migrateReadModels(pool: Pool): Promise<MigrationReport> {
  const report = await runMigrations(pool, READ_MODEL_MIGRATIONS_NAMESPACE, readModelMigrations);
  await applyReadModelComments(pool);
  return report;
}
