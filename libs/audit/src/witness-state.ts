import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

/** What a witness keeps per log: the latest checkpoint it cosigned (tlog-witness: "the latest checkpoint it observed and verified"). */
export interface WitnessedLog {
  origin: string;
  treeSize: number;
  /** Lower-case hex. */
  rootHash: string;
  /** The checkpoint as cosigned: the log's signature and this witness's cosignature (served to monitors). */
  checkpoint: string;
}

/** The file name of a log's state: the SHA-256 of its origin, as the monitoring path names it. */
export const originHash = (origin: string): string => createHash('sha256').update(origin, 'utf8').digest('hex');

/**
 * Writes a file so that it survives a crash of the process or the machine once this resolves:
 * a temporary file written and fsynced, renamed over the old one, and the directory fsynced (the
 * rename itself is durable only then). A reader sees the old file or the new one, never half.
 */
export async function writeDurably(file: string, data: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w', 0o644);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
  const directory = await open(join(file, '..'), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/** The witness's state directory: `logs/<sha256(origin)>.json`, one per log it witnesses. */
export class WitnessState {
  private readonly dir: string;

  constructor(stateDir: string) {
    this.dir = join(stateDir, 'logs');
  }

  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o755 });
  }

  async read(origin: string): Promise<WitnessedLog | null> {
    return this.readHash(originHash(origin));
  }

  async readHash(hash: string): Promise<WitnessedLog | null> {
    let text: string;
    try {
      text = await readFile(join(this.dir, `${hash}.json`), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return JSON.parse(text) as WitnessedLog;
  }

  /** Durable before it resolves: the witness answers only after this. */
  async write(log: WitnessedLog): Promise<void> {
    await writeDurably(join(this.dir, `${originHash(log.origin)}.json`), `${JSON.stringify(log, null, 2)}\n`);
  }
}
