import { SingleBar, Presets } from 'cli-progress';
import { chinaDateOf } from '@cadre-ledger/domain';
import { IntakeProcessFailed, IntakeTooLarge, UnreadableWorkbook, intakeInChildProcess, type IntakeMode, type IntakeProgress, type IntakeReport } from '@cadre-ledger/intake';
import { withLedger } from '../context';
import { EXIT_REFUSED, refused } from '../exit-codes';
import { table, write, writeJson } from '../output';

const PHASES: Record<IntakeProgress['phase'], string> = { reading: '读取', deciding: '校验', appending: '写入', done: '完成' };

/** A bar on a terminal, plain lines (at most one a second) elsewhere. */
function intakeProgress(tty: boolean): { update(p: IntakeProgress): void; stop(): void } {
  if (!tty) {
    let last = 0;
    return {
      update: (p) => {
        if (Date.now() - last < 1000 && p.phase !== 'done') return;
        last = Date.now();
        process.stderr.write(`progress: ${PHASES[p.phase]} ${p.done}${p.total ? `/${p.total}` : ''}\n`);
      },
      stop: () => undefined,
    };
  }
  const bar = new SingleBar({ format: '{phase} [{bar}] {value}/{total} 行 | {eta_formatted}', hideCursor: true, stream: process.stderr }, Presets.shades_classic);
  let started = false;
  return {
    update: (p) => {
      if (!started) bar.start(Math.max(p.total, p.done, 1), 0, { phase: PHASES[p.phase] });
      started = true;
      bar.setTotal(Math.max(p.total, p.done, 1));
      bar.update(p.done, { phase: PHASES[p.phase] });
    },
    stop: () => started && bar.stop(),
  };
}

/**
 * `ledger import FILE.xlsx|FILE.csv`: the spreadsheet intake, its report in Chinese. With the API's
 * bounds (LEDGER_IMPORT_*): the file read in a child process with its own heap limit, an archive
 * checked before it is inflated, the problems listed bounded; a file beyond a limit is refused
 * (exit 1) with the reason, nothing imported.
 */
export async function importSpreadsheet(file: string, options: { mode: IntakeMode; partial: boolean; sheet?: string; json: boolean }): Promise<void> {
  const progress = intakeProgress(process.stderr.isTTY === true);
  const report = await withLedger(async ({ store, config, actor, databaseUrl }) => {
    try {
      return await intakeInChildProcess(
        {
          path: file,
          connection: { databaseUrl, eventStoreConnectionString: config.eventStoreConnectionString, hashAlgorithm: store.hashAlgorithm, ruleSetsDir: config.ruleSetsDir },
          limits: config.imports.limits,
          today: chinaDateOf(new Date().toISOString()),
          actor,
          mode: options.mode,
          partial: options.partial,
          sheet: options.sheet,
        },
        { memoryMb: config.imports.memoryMb, onProgress: progress.update },
      );
    } catch (error) {
      if (error instanceof IntakeTooLarge || error instanceof UnreadableWorkbook || error instanceof IntakeProcessFailed) throw refused(error.message);
      throw error;
    }
  }).finally(() => progress.stop());
  if (options.json) await writeJson(report);
  else await write(renderIntake(report));
  if (report.problemCount > 0) process.exitCode = EXIT_REFUSED;
}

export function renderIntake(report: IntakeReport): string {
  const summary = table(['工作表', '数据行', '已导入', '此前已导入', '问题']);
  for (const [sheet, s] of Object.entries(report.bySheet)) summary.push([sheet, s.rows, s.imported, s.alreadyStored, s.problems]);
  summary.push(['合计', report.rows, report.imported, report.alreadyStored, report.problemCount]);
  const out = [summary.toString()];
  if (report.duplicates > 0) out.push(`${report.duplicates} 行与前面的行完全相同,只记录一次`);
  if (report.problemCount > 0) {
    const problems = table(['工作表', '行', '列', '问题']);
    for (const p of report.problems.slice(0, 200)) problems.push([p.sheet, p.row ?? '', p.column ?? '', p.message]);
    out.push(problems.toString());
    const shown = Math.min(report.problems.length, 200);
    if (report.problemCount > shown) out.push(`(另有 ${report.problemCount - shown} 个问题${report.problems.length > shown ? `,用 --json 查看前 ${report.problems.length} 个` : ''})`);
    out.push(report.partial ? '部分导入:有问题的干部(记录流)未导入,其余已导入。' : '有问题,整个文件都没有导入。改正后重新导入(已导入的行不会重复);或用 --partial 只导入没有问题的干部。');
  }
  if (report.conflicts.length > 0) {
    const conflicts = table(['工作表', '行', '干部编号', '冲突(历史模式照实记录)']);
    for (const c of report.conflicts) conflicts.push([c.sheet, c.row, c.cadreId, c.message]);
    out.push(conflicts.toString());
    out.push('这些冲突将列入选人用人检查(ledger audit conflicts、GET /v1/audit/conflicts);其“提拔记录时间”是本次导入的时间,不是任职当时。');
  }
  out.push(`用时 ${(report.elapsedMs / 1000).toFixed(1)} 秒,每秒 ${report.rowsPerSecond} 行(${report.mode === 'historical' ? '历史模式' : '实时模式'})`);
  return `${out.join('\n')}\n`;
}
