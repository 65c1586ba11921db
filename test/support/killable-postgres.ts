import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findFreePort } from '@cadre-ledger/platform';

export interface KillablePostgres {
  /** Maintenance URL of the server. */
  url: string;
  dataDir: string;
  /** Restarts the supervisor has reported so far. */
  restarts(): number;
  /** `kill -9` of the postmaster, as an operator's mistake or the OOM killer would. */
  kill(): Promise<number>;
  stop(): Promise<void>;
}

const ROOT = resolve(__dirname, '../..');

/** A supervised embedded PostgreSQL of its own, in a child process, that a test may kill. */
export async function startKillablePostgres(): Promise<KillablePostgres> {
  const tempDir = await mkdtemp(join(tmpdir(), 'cadre-ledger-killable-pg-'));
  const dataDir = join(tempDir, 'data');
  const port = await findFreePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join(__dirname, 'embedded-postgres-server.ts'), dataDir, String(port)],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') } },
  );
  let restarts = 0;
  let buffered = '';
  const url = await new Promise<string>((done, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        const message = JSON.parse(line) as { url?: string; event?: string };
        if (message.url) done(message.url);
        if (message.event?.includes('restarted')) restarts += 1;
      }
    });
    child.once('exit', (code) => fail(new Error(`the PostgreSQL child exited with ${code} before it was ready`)));
  });
  return {
    url,
    dataDir,
    restarts: () => restarts,
    kill: async () => {
      const pid = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
      process.kill(pid, 'SIGKILL');
      return pid;
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.stdin!.end();
        await exited;
      }
      await rm(tempDir, { recursive: true, force: true });
    },
  };
}
