import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { HashAlgorithm } from '@cadre-ledger/event-store';
import type { IntakeOptions, IntakeProgress, IntakeReport } from './engine';
import { IntakeTooLarge, type IntakeLimits } from './limits';
import { UnreadableWorkbook } from './workbook';

/** Where the child finds the ledger: it opens its own connections. */
export interface IntakeConnection {
  databaseUrl: string;
  eventStoreConnectionString?: string;
  hashAlgorithm?: HashAlgorithm;
  ruleSetsDir?: string;
}

/** One intake as the child takes it: the engine's options, as data. */
export interface IntakeJob extends Omit<IntakeOptions, 'ruleBook' | 'onProgress' | 'units'> {
  path: string;
  units?: string[];
  connection: IntakeConnection;
}

/** What the child sends: progress as it goes, then its report or why it stopped. */
export type IntakeMessage =
  | { progress: IntakeProgress }
  | { report: IntakeReport }
  | { refused: { name: 'IntakeTooLarge' | 'UnreadableWorkbook'; message: string; limit?: keyof IntakeLimits } }
  | { failed: string };

/** The child stopped without a report: out of memory, killed, or an error of its own. */
export class IntakeProcessFailed extends Error {}

/** The last lines of the child's stderr kept to tell why it stopped. */
const STDERR_TAIL = 4096;

/**
 * Runs one spreadsheet intake (intakeSpreadsheet) in a child process of its own, with its own heap
 * limit (`memoryMb`, node's --max-old-space-size): whatever the file does to the reader (a zip bomb
 * that slipped past the checks, a table of shared strings that fills the heap) ends that process,
 * never the API or the CLI that started it, and the intake is reported failed with the reason. The
 * child opens its own connections to the store, reads the file, decides and appends exactly as
 * intakeSpreadsheet does, and sends its progress and its (bounded) report over IPC.
 */
export function intakeInChildProcess(job: IntakeJob, options: { memoryMb: number; onProgress?: (progress: IntakeProgress) => void }): Promise<IntakeReport> {
  const compiled = join(__dirname, 'intake-process.js');
  const fromSource = !existsSync(compiled);
  const child = fork(fromSource ? join(__dirname, 'intake-process.ts') : compiled, [], {
    // From TypeScript sources (a checkout, the tests) the child loads them as the CLI does; from dist/, compiled.
    execArgv: [`--max-old-space-size=${options.memoryMb}`, ...(fromSource ? ['-r', resolve(__dirname, '..', '..', '..', 'bin', 'ts-register.js')] : [])],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL)));
  return new Promise<IntakeReport>((resolvePromise, reject) => {
    let outcome: { report: IntakeReport } | { error: Error } | undefined;
    child.on('message', (message: IntakeMessage) => {
      if ('progress' in message) options.onProgress?.(message.progress);
      else if ('report' in message) outcome = { report: message.report };
      else if ('refused' in message) {
        const { name, message: text, limit } = message.refused;
        outcome = { error: name === 'IntakeTooLarge' ? new IntakeTooLarge(text, limit ?? 'maxFileBytes') : new UnreadableWorkbook(text) };
      } else outcome = { error: new IntakeProcessFailed(`导入未完成:${message.failed}`) };
    });
    child.on('error', (error) => reject(new IntakeProcessFailed(`导入进程无法启动:${error.message}`)));
    child.on('exit', (code, signal) => {
      if (outcome && 'report' in outcome) return resolvePromise(outcome.report);
      if (outcome) return reject(outcome.error);
      const outOfMemory = /heap out of memory|Allocation failed/i.test(stderr);
      reject(
        new IntakeProcessFailed(
          outOfMemory
            ? `导入未完成:读取和校验这个文件超过了内存上限(${options.memoryMb} MB),什么也没有导入;请分成几个较小的文件`
            : `导入未完成:导入进程意外停止(${signal ?? `退出码 ${code}`}),什么也没有导入`,
        ),
      );
    });
    child.send(job);
  });
}
