import { parse as parseUuid, v5 as uuidv5 } from 'uuid';
import {
  cadreIdOfStream,
  isDomainError,
  placementOn,
  unitStream,
  zhDetail,
  type DomainError,
  type LocalDate,
  type PolicyPort,
} from '@cadre-ledger/domain';
import { handleCommand, type CommandPathContext, type CommandStreams, type QuotaClaim } from '@cadre-ledger/application';
import type { EventStore, NewEvent } from '@cadre-ledger/event-store';
import type { RuleBook } from '@cadre-ledger/policy';
import { viewContext, viewStreams } from './decide';
import { StreamViews, type StreamView } from './views';
import { INSTRUCTION_SHEETS } from './template';
import { SHEETS, readHeader, readRow, sheetNamed, type IntakeCommand, type SheetDefinition } from './sheets';
import { readSpreadsheet, type RawRow } from './workbook';
import { appendPending, pendingOf, type PendingBatch } from './append';
import { isBlank } from './cells';
import { DEFAULT_INTAKE_LIMITS, ProblemList, type IntakeLimits } from './limits';

/** Namespace of the row-derived event ids: the same row imported again is the same event. */
const ROW_NAMESPACE = parseUuid('6f1d7c2a-3b84-4e59-a0c1-9d2e7f5b4a18');
const CLAIM_NAMESPACE = parseUuid('5b0e6c4e-7a0f-4d0b-9a57-1f3c2b8d9e60');

/** API.md, "Import modes": live (the API's rules) or historical (decisions already taken). Restore is the NDJSON import's. */
export type IntakeMode = 'live' | 'historical';

export interface IntakeOptions {
  ruleBook: RuleBook;
  today: LocalDate;
  /** Who imports: stored as every event's actor. */
  actor: string;
  mode: IntakeMode;
  /** Append the streams whose every row is valid, and report the rest; default: all or nothing. */
  partial: boolean;
  /** A CSV file's sheet, when its file name is not a sheet's name. */
  sheet?: string;
  /** The uploaded file's own name (an upload lands in a temporary file). */
  originalName?: string;
  onProgress?: (progress: IntakeProgress) => void;
  /** The units the importer may write to (a token's `units`); absent: every unit. */
  units?: ReadonlySet<string>;
  /** Bounds on the file, its rows and the problems kept; absent ones are DEFAULT_INTAKE_LIMITS'. */
  limits?: Partial<IntakeLimits>;
}

export interface IntakeProgress {
  phase: 'reading' | 'deciding' | 'appending' | 'done';
  done: number;
  total: number;
}

/** One problem, where it is: sheet, row (as Excel numbers it) and column header; in Chinese. */
export interface IntakeProblem {
  sheet: string;
  row: number | null;
  column: string | null;
  message: string;
  code?: string;
}

/** A fact the historical mode recorded although the live rules refuse it (it happened): listed for the 选人用人 audit. */
export interface IntakeConflict {
  sheet: string;
  row: number;
  cadreId: string;
  code: 'promotion-locked' | 'consultation-required' | 'excellence-quota-exceeded';
  message: string;
}

export interface IntakeReport {
  file: string;
  mode: IntakeMode;
  partial: boolean;
  /** Data rows read (header and blank rows aside). */
  rows: number;
  imported: number;
  alreadyStored: number;
  /** Rows identical to an earlier row of the file: the same fact, taken once. */
  duplicates: number;
  /** Whether anything was appended (all or nothing: nothing when a problem was found). */
  appended: boolean;
  /** The first problems found (at most the limit `maxProblems`), in the order found. */
  problems: IntakeProblem[];
  /** Every problem found, listed or not. */
  problemCount: number;
  /** Problems found beyond those listed. */
  problemsNotListed: number;
  conflicts: IntakeConflict[];
  bySheet: Record<string, { rows: number; imported: number; alreadyStored: number; problems: number }>;
  elapsedMs: number;
  rowsPerSecond: number;
}

interface Item extends IntakeCommand {
  sheet: SheetDefinition;
  row: number;
  eventId: string;
  cadreId: string;
  effectiveAt: LocalDate;
}

/** Which column a refusal of the decider is about, for the report. */
const COLUMN_OF_CODE: Record<string, string> = {
  'effective-date-in-future': '生效日期',
  'effective-date-too-early': '生效日期',
  'promotion-locked': '生效日期',
  'consultation-required': '征求意见文号',
  'unknown-jurisdiction': '辖区',
  'cadre-not-found': '干部编号',
  'cadre-already-registered': '干部编号',
  'annual-review-year-duplicate': '年度',
  'review-year-after-decision': '年度',
  'unit-assessment-year-duplicate': '年度',
  'assessment-year-after-decision': '年度',
  'excellence-quota-exceeded': '等次',
  'invalid-sanction-kind': '处分种类',
  'invalid-probation-months': '留党察看期限(月)',
  'invalid-vote-share': '民主测评不称职票比例',
  'non-leadership-position-is-leading': '领导职务',
  'removal-with-position': '职务',
};

/**
 * Spreadsheet intake (`ledger import FILE.xlsx|FILE.csv`, `POST /v1/imports`): every row of every
 * sheet read into a typed command, ordered (registrations first, then by effective date), decided
 * by the same deciders as the API against the streams as stored plus what the file already added,
 * and appended only when every row is valid (or, with `partial`, the streams whose rows all are).
 * Each row's event id derives from its content, so the same row imported again appends nothing.
 */
export async function intakeSpreadsheet(store: EventStore, path: string, options: IntakeOptions): Promise<IntakeReport> {
  const started = Date.now();
  const limits = { ...DEFAULT_INTAKE_LIMITS, ...options.limits };
  const problems = new ProblemList<IntakeProblem>(limits.maxProblems);
  const report: IntakeReport = { file: options.originalName ?? path, mode: options.mode, partial: options.partial, rows: 0, imported: 0, alreadyStored: 0, duplicates: 0, appended: false, problems: problems.kept, problemCount: 0, problemsNotListed: 0, conflicts: [], bySheet: {}, elapsedMs: 0, rowsPerSecond: 0 };
  const sheetStats = (name: string) => (report.bySheet[name] ??= { rows: 0, imported: 0, alreadyStored: 0, problems: 0 });
  const problem = (p: IntakeProblem) => {
    problems.add(p);
    sheetStats(p.sheet).problems += 1;
  };
  const progress = (phase: IntakeProgress['phase'], done: number, total: number) => options.onProgress?.({ phase, done, total });

  // Unbounded: every stream the file touches stays in memory until its events are appended.
  const views = new StreamViews(store, Infinity);
  const items = await readItems(path, { ...options, limits }, report, problem, sheetStats, progress, views);
  items.sort((a, b) => (a.sheet.order === 0 ? 0 : 1) - (b.sheet.order === 0 ? 0 : 1) || (a.effectiveAt < b.effectiveAt ? -1 : a.effectiveAt > b.effectiveAt ? 1 : 0) || a.sheet.order - b.sheet.order || a.row - b.row);

  let row = 0;
  const streams = viewStreams(views, () => row);
  // Every row's event id is derived from its content; a claim's from its review's.
  const ctx = viewContext(options.ruleBook, options.today, () => {
    throw new Error('an imported row brings its own event id');
  });
  await views.warmed();
  const troubled = new Set<string>();
  /** Claim events on unit streams, by the review they count, to drop with it. */
  const claimOf = new Map<string, { unitStream: string; eventId: string }>();
  let done = 0;
  for (const item of items) {
    progress('deciding', done++, items.length);
    const view = await views.get(item.stream);
    if (view.byId.has(item.eventId)) {
      report.alreadyStored += 1;
      sheetStats(item.sheet.name).alreadyStored += 1;
      continue;
    }
    const outside = options.units ? unitsTouched(item, view).filter((u) => !options.units?.has(u)) : [];
    if (outside.length > 0) {
      troubled.add(item.stream);
      // As the API does, a cadre or unit outside the caller's units is reported as not there.
      problem({ sheet: item.sheet.name, row: item.row, column: item.sheet.order === 1 ? '单位编号' : '干部编号', message: '没有这名干部或这个单位,或不在您有权操作的单位', code: 'not-found' });
      continue;
    }
    row = item.row;
    const refusal = await decideItem(item, ctx, streams, options, report, claimOf);
    if (refusal) {
      troubled.add(item.stream);
      problem({ sheet: item.sheet.name, row: item.row, column: COLUMN_OF_CODE[refusal.code] ?? null, message: zhDetail(refusal), code: refusal.code });
    }
  }

  const appendable = (view: StreamView) => view.pending.length > 0 && !troubled.has(view.stream);
  if (problems.count > 0 && !options.partial) {
    report.imported = 0;
  } else {
    // A review dropped with its stream gives back the quota place it claimed in the same file.
    for (const stream of troubled) {
      const view = await views.get(stream);
      for (const p of view.pending) {
        const claim = claimOf.get(p.event.eventId);
        if (claim) (await views.get(claim.unitStream)).pending = (await views.get(claim.unitStream)).pending.filter((q) => q.event.eventId !== claim.eventId);
      }
    }
    // Unit streams first: a quota claim is stored before the review it counts (as the API does).
    const isUnit = (view: StreamView) => cadreIdOfStream(view.stream) === undefined;
    const batches = views.withPending().filter(appendable).sort((a, b) => Number(isUnit(b)) - Number(isUnit(a)));
    const total = batches.reduce((n, v) => n + v.pending.length, 0);
    const itemOfEvent = new Map(items.map((i) => [i.eventId, i]));
    const appended = ({ pending }: PendingBatch) => {
      done += pending.length;
      for (const p of pending) {
        const source = itemOfEvent.get(p.event.eventId);
        if (source) {
          report.imported += 1;
          sheetStats(source.sheet.name).imported += 1;
        }
      }
      progress('appending', done, total);
    };
    done = 0;
    await appendPending(store, pendingOf(batches.filter(isUnit)), appended);
    await appendPending(store, pendingOf(batches.filter((v) => !isUnit(v))), appended);
    report.appended = total > 0;
  }
  report.problemCount = problems.count;
  report.problemsNotListed = problems.notListed;
  report.elapsedMs = Date.now() - started;
  report.rowsPerSecond = Math.round(report.rows / Math.max(report.elapsedMs / 1000, 0.001));
  progress('done', report.rows, report.rows);
  return report;
}

async function readItems(
  path: string,
  options: IntakeOptions,
  report: IntakeReport,
  problem: (p: IntakeProblem) => void,
  sheetStats: (name: string) => IntakeReport['bySheet'][string],
  progress: (phase: IntakeProgress['phase'], done: number, total: number) => void,
  views: StreamViews,
): Promise<Item[]> {
  const items: Item[] = [];
  const seen = new Map<string, number>();
  const headers = new Map<string, Map<string, number> | null>();
  const unknownSheets = new Set<string>();
  for await (const raw of readSpreadsheet(path, { sheet: options.sheet, originalName: options.originalName, limits: options.limits })) {
    if (INSTRUCTION_SHEETS.includes(raw.sheet) || raw.cells.every(isBlank)) continue;
    const sheet = sheetNamed(raw.sheet);
    if (!sheet) {
      if (!unknownSheets.has(raw.sheet)) problem({ sheet: raw.sheet, row: null, column: null, message: `不认识的工作表"${raw.sheet}";可导入的工作表:${sheetNames()}` });
      unknownSheets.add(raw.sheet);
      continue;
    }
    if (!headers.has(raw.sheet)) {
      const header = readHeader(sheet, raw.cells);
      if ('problems' in header) for (const p of header.problems) problem({ sheet: raw.sheet, row: raw.row, column: p.column, message: p.message });
      headers.set(raw.sheet, 'header' in header ? header.header : null);
      continue;
    }
    const header = headers.get(raw.sheet);
    report.rows += 1;
    sheetStats(raw.sheet).rows += 1;
    if (report.rows % 1000 === 0) progress('reading', report.rows, 0);
    if (!header) continue; // the header's problems are reported once, not per row
    const item = itemOf(sheet, raw, header, options.actor);
    if ('problems' in item) {
      for (const p of item.problems) problem({ sheet: raw.sheet, row: raw.row, column: p.column, message: p.message });
      continue;
    }
    const earlier = seen.get(item.eventId);
    if (earlier !== undefined) {
      report.duplicates += 1;
      continue;
    }
    seen.set(item.eventId, raw.row);
    items.push(item);
    // The store reads the streams the rows touch while the file is still being read.
    views.warm(item.stream);
    const { unitId } = item.command.data as { unitId?: string };
    if (unitId) views.warm(unitStream(unitId));
  }
  return items;
}

function itemOf(sheet: SheetDefinition, raw: RawRow, header: Map<string, number>, actor: string): Item | { problems: { column: string | null; message: string }[] } {
  const read = readRow(sheet, header, raw.cells);
  if ('problems' in read) return read;
  const { stream, command } = sheet.build(read.values, actor);
  const content = sheet.columns.map((c) => read.values[c.key] ?? null);
  const eventId = uuidv5(Buffer.from(JSON.stringify([sheet.name, ...content])), ROW_NAMESPACE);
  const effectiveAt = (command.data as { effectiveAt: LocalDate }).effectiveAt;
  return { sheet, row: raw.row, stream, command, eventId, cadreId: (read.values.cadreId as string | undefined) ?? '', effectiveAt };
}

/** The units a row writes to: the cadre's unit now, and the unit it names (a registration's, a transfer's). */
function unitsTouched(item: Item, view: StreamView): string[] {
  const data = item.command.data as { unitId?: string };
  const units = data.unitId ? [data.unitId] : [];
  if (view.cadreState.registered) {
    const now = placementOn(view.cadreState, null)?.unitId;
    if (now) units.push(now);
  }
  return units;
}

/**
 * Decides one row through the one command path, over the views (`viewStreams`); returns the
 * refusal, or undefined when its events were taken in. An excellent review's claim goes the same
 * way, with an id derived from the review's.
 */
async function decideItem(item: Item, ctx: CommandPathContext, streams: CommandStreams<NewEvent>, options: IntakeOptions, report: IntakeReport, claimOf: Map<string, { unitStream: string; eventId: string }>): Promise<DomainError | undefined> {
  const quota: QuotaClaim = {
    eventId: (reviewEventId) => uuidv5(reviewEventId, CLAIM_NAMESPACE),
    claimed: (reviewEventId, claim) => {
      for (const event of claim.events as NewEvent[]) claimOf.set(reviewEventId, { unitStream: claim.stream, eventId: event.eventId });
    },
    // Historical: a review beyond the quota happened: record it, as a conflict.
    exceeded: async (error) => {
      if (options.mode !== 'historical') throw error;
      report.conflicts.push({ sheet: item.sheet.name, row: item.row, cadreId: item.cadreId, code: 'excellence-quota-exceeded', message: zhDetail(error) });
    },
  };
  const handle = (policy?: (port: PolicyPort) => PolicyPort) => handleCommand(ctx, streams, item.stream, item.command, { eventId: item.eventId, policy, quota });
  try {
    await handle();
  } catch (error) {
    if (!isDomainError(error)) throw error;
    // Historical: a promotion made inside a lock, or without the consultation, happened: record it, as a conflict.
    if (options.mode !== 'historical' || (error.code !== 'promotion-locked' && error.code !== 'consultation-required')) return error;
    await handle(withoutBlockers);
    report.conflicts.push({ sheet: item.sheet.name, row: item.row, cadreId: item.cadreId, code: error.code, message: zhDetail(error) });
  }
  return undefined;
}

/** The policy of the historical mode for a promotion already made: what blocked it is listed as a conflict, not refused. */
const withoutBlockers = (port: PolicyPort): PolicyPort => ({ ...port, promotionBlockers: () => ({ locks: [], consultationRequired: [] }) });

const sheetNames = () => SHEETS.map((s) => s.name).join('、');
