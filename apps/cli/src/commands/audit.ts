import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { IDENTIFIER_PATTERN, isLocalDate } from '@cadre-ledger/domain';
import { LIVE_CHECKPOINT, listConflicts, type ConflictItem } from '@cadre-ledger/projections';
import { withLedger } from '../context';
import { refused, usageError } from '../exit-codes';
import { lang, t } from '../lang';
import { note, table, write, writeJson } from '../output';
import { conflictsReportHtml } from '../reports/conflicts-html';
import { conflictsReportPdf } from '../reports/conflicts-pdf';
import { NoPdfFont, pdfFontLoader } from '@cadre-ledger/platform';
import { cliConfigFromEnv } from '../config';

interface ConflictOptions {
  unit?: string;
  from?: string;
  to?: string;
  json?: boolean;
  html?: string;
  pdf?: string;
}

/** `ledger audit …`: the questions 巡视巡察 and 组织部门 ask of the records. */
export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('audits of the records: conflicts (promotions inside a lock, 选人用人检查)');
  audit
    .command('conflicts')
    .description('every promotion whose effective date lies inside a lock, as the records stand now: the lock, its clause, and whether it was in the records when the promotion was recorded (from the read models)')
    .option('--unit <unitId>', 'only promotions of cadres who sat in this unit on the promotion\'s date')
    .option('--from <date>', 'promotions effective on or after this date, YYYY-MM-DD')
    .option('--to <date>', 'promotions effective on or before this date, YYYY-MM-DD')
    .option('--json', 'as JSON')
    .option('--html <file>', 'also write a printable report (HTML, A4) citing each clause to this file')
    .option('--pdf <file>', 'also write the report as a PDF (A4, the CJK font embedded: LEDGER_PDF_FONT or Debian\'s fonts-noto-cjk) to this file')
    .action(async (options: ConflictOptions) => {
      if (options.unit !== undefined && !IDENTIFIER_PATTERN.test(options.unit)) throw usageError(`--unit ${JSON.stringify(options.unit)} is not a unit id`);
      for (const [flag, value] of [['--from', options.from], ['--to', options.to]] as const) {
        if (value !== undefined && !isLocalDate(value)) throw usageError(`${flag} ${JSON.stringify(value)} is not a YYYY-MM-DD date`);
      }
      if (options.from !== undefined && options.to !== undefined && options.from > options.to) throw usageError('--to is before --from');
      const { items, complete } = await withLedger(async ({ pool, store, recordAccess }) => {
        const built = (await pool.query<{ t: string | null }>("SELECT to_regclass('reporting.promotion_conflicts')::text AS t")).rows[0].t;
        if (built === null) throw usageError(t('noReadModels'));
        const found: ConflictItem[] = [];
        for (let cursor: string | undefined; ; ) {
          const page = await listConflicts(pool, { scope: '*', unitId: options.unit, from: options.from, to: options.to, cursor, limit: 500 });
          found.push(...page.items);
          if (page.nextCursor === null) break;
          cursor = page.nextCursor;
        }
        const checkpoint = Number((await pool.query<{ position: string }>('SELECT position FROM projection_checkpoints WHERE name = $1', [LIVE_CHECKPOINT])).rows[0]?.position ?? 0);
        const caughtUp = (await store.readAll({ fromPosition: checkpoint, limit: 1 })).length === 0;
        // Names and sanctions of people: recorded in the read audit before they are shown.
        await recordAccess([...new Set(found.map((i) => i.cadreId))], 'profile', 'ledger audit conflicts');
        return { items: found, complete: caughtUp };
      });
      if (!complete) note(t('readModelsBehind'));
      const generatedAt = new Date().toISOString();
      const context = { unitId: options.unit, from: options.from, to: options.to, generatedAt, complete, lang: lang() };
      if (options.html !== undefined) await writeFile(options.html, conflictsReportHtml(items, context));
      if (options.pdf !== undefined) {
        const font = await pdfFontLoader(cliConfigFromEnv().api.pdfFont)().catch((error: unknown) => {
          throw error instanceof NoPdfFont ? refused(error.message) : error;
        });
        await writeFile(options.pdf, await conflictsReportPdf(items, context, font));
      }
      if (options.json) return writeJson({ generatedAt, complete, unitId: options.unit ?? null, from: options.from ?? null, to: options.to ?? null, items });
      if (items.length === 0) return write(`${t('conflictsNone')}\n`);
      const out = table(t('conflictColumns').split('|'));
      for (const i of items) {
        out.push([
          i.promotedOn,
          `${i.cadreId}${i.name ? ` ${i.name}` : ''}`,
          i.unitId,
          `${i.lock.kind}\n${i.lock.from} – ${i.lock.until ?? '…'}`,
          i.lock.ruleId,
          `${i.lock.citation.document} ${i.lock.citation.article}\n${i.lock.citation.text}`,
          i.knownAtPromotion ? t('knownThen') : t('foundLater'),
          i.lockRecordedAt,
        ]);
      }
      return write(`${out.toString()}\n${t('conflictsCount', items.length, new Set(items.map((i) => i.cadreId)).size)}\n`);
    });
}
