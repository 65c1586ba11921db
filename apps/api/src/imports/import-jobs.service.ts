import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { v5 as uuidv5 } from 'uuid';
import type { Ledger } from '@cadre-ledger/application';
import { IntakeProcessFailed, IntakeTooLarge, UnreadableWorkbook, intakeInChildProcess, type IntakeMode, type IntakeProblem, type IntakeProgress, type IntakeReport } from '@cadre-ledger/intake';
import type { Caller } from '../auth/access.decorators';
import { IMPORTS, LEDGER, PG_POOL, type ImportSettings } from '../tokens';

export type ImportStatus = 'running' | 'succeeded' | 'refused' | 'failed' | 'interrupted';

export interface ImportJob {
  importId: string;
  status: ImportStatus;
  fileName: string;
  mode: IntakeMode;
  partial: boolean;
  progress: { phase: IntakeProgress['phase'] | null; done: number; total: number };
  report: IntakeReport | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** Namespace of job ids derived from an Idempotency-Key. */
const JOB_NAMESPACE = '0e7b5d3c-9f14-4a62-8c1d-4b7a2e9f6d35';

/** A running job whose process has not beaten for this long was cut off (the process stopped). */
const HEARTBEAT_STALE_SECONDS = 60;

type Row = { id: string; actor: string; file_name: string; file_sha256: string; mode: IntakeMode; partial: boolean; status: ImportStatus; phase: IntakeProgress['phase'] | null; done: number; total: number; report: IntakeReport | null; error: string | null; created_at: Date; finished_at: Date | null };

const jobOf = (r: Row & { stale?: boolean }): ImportJob => ({
  importId: r.id,
  status: r.status === 'running' && r.stale ? 'interrupted' : r.status,
  fileName: r.file_name,
  mode: r.mode,
  partial: r.partial,
  progress: { phase: r.phase, done: r.done, total: r.total },
  report: r.report,
  error: r.status === 'running' && r.stale ? '导入进行中服务器停止了;请重新导入(已导入的行不会重复)' : r.error,
  createdAt: r.created_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
});

/** Problems shown with the job; the rest a page at a time (GET /v1/imports/{id}/problems). */
export const PROBLEMS_WITH_JOB = 100;

/**
 * Import jobs (`POST /v1/imports`): the upload is taken in by the spreadsheet intake in a child
 * process of its own (intakeInChildProcess: its own heap limit, so no file can take the API down),
 * the job's progress written as it goes and its report when it ends, all in PostgreSQL so that any
 * API replica answers `GET /v1/imports/{id}`. The report is bounded (the first problems, the rest
 * counted). A job is its caller's (and an admin's) to see. An `Idempotency-Key` makes the job's
 * id: the same key with the same file is that job again; with another file, a conflict. Uploads
 * wait in the ledger's own directory, and each is removed when its job ends, however it ends; what
 * a stopped process left there is removed at the next start.
 */
@Injectable()
export class ImportJobs implements OnModuleInit, OnApplicationShutdown {
  private readonly running = new Set<Promise<void>>();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(IMPORTS) private readonly settings: ImportSettings,
  ) {}

  /** The uploads directory, created if missing and emptied: nothing in it belongs to a job of this process. */
  async onModuleInit(): Promise<void> {
    await mkdir(this.settings.dir, { recursive: true, mode: 0o700 });
    for (const name of await readdir(this.settings.dir)) await rm(join(this.settings.dir, name), { recursive: true, force: true });
  }


  async start(caller: Caller, upload: { path: string; originalName: string }, options: { mode: IntakeMode; partial: boolean; sheet?: string; idempotencyKey?: string }): Promise<{ job: ImportJob; replayed: boolean } | { conflict: true }> {
    const sha256 = await fileHash(upload.path);
    const id = options.idempotencyKey ? uuidv5(`${caller.sub}\u0000${options.idempotencyKey}`, JOB_NAMESPACE) : randomUUID();
    const inserted = await this.pool.query<Row>(
      `INSERT INTO api_import_jobs (id, actor, file_name, file_sha256, mode, partial, status) VALUES ($1, $2, $3, $4, $5, $6, 'running')
       ON CONFLICT (id) DO NOTHING RETURNING *`,
      [id, caller.sub, upload.originalName, sha256, options.mode, options.partial],
    );
    if (inserted.rowCount === 0) {
      await rm(upload.path, { force: true });
      const existing = await this.find(caller, id);
      const same = (await this.pool.query<{ file_sha256: string; mode: string; partial: boolean }>('SELECT file_sha256, mode, partial FROM api_import_jobs WHERE id = $1', [id])).rows[0];
      if (!existing || !same || same.file_sha256 !== sha256 || same.mode !== options.mode || same.partial !== options.partial) return { conflict: true };
      return { job: existing, replayed: true };
    }
    const run = this.run(id, caller, upload, options).finally(() => this.running.delete(run));
    this.running.add(run);
    return { job: jobOf(inserted.rows[0]), replayed: false };
  }

  async find(caller: Caller, id: string): Promise<ImportJob | null> {
    const { rows } = await this.pool.query<Row & { stale: boolean }>(
      `SELECT id, actor, file_name, file_sha256, mode, partial, status, phase, done, total, error, created_at, finished_at,
              heartbeat_at < clock_timestamp() - interval '${HEARTBEAT_STALE_SECONDS} seconds' AS stale,
              CASE WHEN report IS NULL THEN NULL ELSE report - 'problems' || jsonb_build_object('problems', coalesce(jsonb_path_query_array(report, '$.problems[0 to ${PROBLEMS_WITH_JOB - 1}]'), '[]')) END AS report
       FROM api_import_jobs WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row || (row.actor !== caller.sub && !caller.roles.includes('admin'))) return null;
    return jobOf(row);
  }

  /** The problems a job's report lists, `limit` from `offset` on; null when the job is not the caller's (or has no report yet). */
  async problems(caller: Caller, id: string, offset: number, limit: number): Promise<{ items: IntakeProblem[]; total: number } | null> {
    const { rows } = await this.pool.query<{ actor: string; items: IntakeProblem[] | null; total: number | null }>(
      `SELECT actor, jsonb_array_length(report->'problems') AS total,
              (SELECT jsonb_agg(p ORDER BY i) FROM jsonb_array_elements(report->'problems') WITH ORDINALITY AS e(p, i) WHERE i > $2 AND i <= $2 + $3) AS items
       FROM api_import_jobs WHERE id = $1`,
      [id, offset, limit],
    );
    const row = rows[0];
    if (!row || (row.actor !== caller.sub && !caller.roles.includes('admin')) || row.total === null) return null;
    return { items: row.items ?? [], total: row.total };
  }

  private async run(id: string, caller: Caller, upload: { path: string; originalName: string }, options: { mode: IntakeMode; partial: boolean; sheet?: string }): Promise<void> {
    let last = 0;
    const progress = (p: IntakeProgress) => {
      if (Date.now() - last < 500 && p.phase !== 'done') return;
      last = Date.now();
      void this.pool.query('UPDATE api_import_jobs SET phase = $2, done = $3, total = $4, heartbeat_at = clock_timestamp() WHERE id = $1', [id, p.phase, p.done, p.total]).catch(() => undefined);
    };
    const heartbeat = setInterval(() => void this.pool.query('UPDATE api_import_jobs SET heartbeat_at = clock_timestamp() WHERE id = $1', [id]).catch(() => undefined), 5_000);
    heartbeat.unref();
    try {
      const report = await intakeInChildProcess(
        {
          path: upload.path,
          connection: this.settings.connection,
          limits: this.settings.limits,
          today: this.ledger.today(),
          actor: caller.sub,
          mode: options.mode,
          partial: options.partial,
          sheet: options.sheet,
          originalName: upload.originalName,
          units: caller.scope.all ? undefined : [...caller.scope.units],
        },
        { memoryMb: this.settings.memoryMb, onProgress: progress },
      );
      await this.pool.query(
        `UPDATE api_import_jobs SET status = $2, phase = 'done', done = $3, total = $3, report = $4, finished_at = clock_timestamp() WHERE id = $1`,
        [id, report.problemCount > 0 && !report.partial ? 'refused' : 'succeeded', report.rows, JSON.stringify(report)],
      );
    } catch (error) {
      const known = error instanceof UnreadableWorkbook || error instanceof IntakeTooLarge || error instanceof IntakeProcessFailed;
      const message = known ? error.message : `导入未完成:${(error as Error).message}`;
      await this.pool.query(`UPDATE api_import_jobs SET status = 'failed', error = $2, finished_at = clock_timestamp() WHERE id = $1`, [id, message]).catch(() => undefined);
    } finally {
      clearInterval(heartbeat);
      await rm(upload.path, { force: true });
    }
  }

  /** Waits for jobs in flight (graceful shutdown: a job is not cut off in the middle of its appends). */
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  /** For tests: until every job this process started has ended. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}

function fileHash(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path).on('data', (chunk) => hash.update(chunk)).on('end', () => resolve(hash.digest('hex'))).on('error', reject);
  });
}
