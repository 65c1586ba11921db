import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';

/** The spreadsheets taken: an upload of another kind is not written at all. */
export const SPREADSHEET_NAME = /\.(xlsx|csv)$/i;

/** What the request learnt of a refused file part (its name), for the 400 that names it. */
export interface UploadRequest extends Request {
  refusedFileName?: string;
}

/**
 * Multer storage for uploads: each into the ledger's own directory under a name of its own (never
 * the client's), readable by the ledger's user only; a part that fails or is cut off midway is
 * removed at once, and multer removes what it stored when the request is refused (size limit,
 * aborted connection). The job removes the file when it ends (ImportJobs).
 */
export function uploadStorage(dir: string): StorageEngine {
  return {
    _handleFile(_req, file, callback) {
      const path = join(dir, `upload-${randomUUID()}${extname(file.originalname).toLowerCase()}`);
      const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
      let size = 0;
      const fail = (error: Error) => {
        out.destroy();
        void rm(path, { force: true }).finally(() => callback(error));
      };
      file.stream.on('data', (chunk: Buffer) => (size += chunk.length));
      file.stream.on('error', fail);
      out.on('error', fail);
      out.on('finish', () => callback(null, { path, size, destination: dir, filename: path.slice(dir.length + 1) }));
      file.stream.pipe(out);
    },
    _removeFile(_req, file, callback) {
      rm(file.path, { force: true }).then(() => callback(null), callback);
    },
  };
}

/** Multer's file filter: only .xlsx and .csv names are stored; another is noted for the 400 and never written. */
export function spreadsheetsOnly(req: UploadRequest, file: { originalname: string }, accept: (error: Error | null, take: boolean) => void): void {
  if (SPREADSHEET_NAME.test(file.originalname)) return accept(null, true);
  req.refusedFileName = file.originalname;
  accept(null, false);
}
