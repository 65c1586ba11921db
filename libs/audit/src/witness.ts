import type { KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emptyRoot, verifyConsistency } from './merkle';
import { NOTE_COSIGNATURE_V1, NoteError, cosignCheckpoint, decodeNote, formatVkey, noteKey, openNote, parseCheckpointText, type NoteKey } from './note';
import { WitnessState, originHash } from './witness-state';

/**
 * A witness (c2sp.org/tlog-witness), as a role of the ledger's own program (`ledger witness serve`):
 * run by another organ (the 纪委监委, the audit office) with its own key and state directory, it
 * cosigns a log's checkpoint only when it is signed by a log key it trusts and is consistent with
 * the last checkpoint it cosigned for that log (an RFC 6962 consistency proof from that size). It
 * keeps that last checkpoint per log, written durably before it answers, and serves it to monitors.
 */
export interface WitnessOptions {
  stateDir: string;
  /** The witness's key name (a schema-less URL such as `jw.sx.example/witness`). */
  name: string;
  /** Its Ed25519 private key. */
  privateKey: KeyObject;
  /** The logs it witnesses: their Ed25519 note keys, each named by the log's origin. */
  logs: readonly NoteKey[];
  host?: string;
  /** 0: a free port. */
  port?: number;
  now?: () => Date;
  log?: (line: string) => void;
}

export interface RunningWitness {
  url: string;
  port: number;
  /** Its cosignature/v1 verifier key: what the ledger's LEDGER_WITNESSES and a policy file name. */
  key: NoteKey;
  vkey: string;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body: string;
  type?: string;
}

const MAX_BODY = 64 * 1024;
const MAX_PROOF_LINES = 63;
const SIZE_TYPE = 'text/x.tlog.size';

export class Witness {
  readonly key: NoteKey;
  private readonly state: WitnessState;
  private readonly logs = new Map<string, NoteKey[]>();
  /** Checking the old size and persisting the new checkpoint are one step (the spec's rollback race). */
  private serial: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: WitnessOptions) {
    this.key = noteKey(options.name, NOTE_COSIGNATURE_V1, options.privateKey);
    this.state = new WitnessState(options.stateDir);
    for (const log of options.logs) this.logs.set(log.name, [...(this.logs.get(log.name) ?? []), log]);
  }

  open(): Promise<void> {
    return this.state.open();
  }

  /** `POST <prefix>/add-checkpoint`: the old size, the consistency proof, a blank line, the checkpoint. */
  async addCheckpoint(body: Uint8Array): Promise<Answer> {
    let text: string;
    try {
      text = decodeNote(body);
    } catch (error) {
      return { status: 400, body: `${(error as Error).message}\n` };
    }
    const split = text.indexOf('\n\n');
    if (split < 0) return { status: 400, body: 'the request has no blank line between the old size and proof and the checkpoint\n' };
    const [oldLine, ...proofLines] = text.slice(0, split).split('\n');
    const old = /^old (0|[1-9]\d{0,15})$/.exec(oldLine);
    if (!old) return { status: 400, body: 'the first line is not "old <size>"\n' };
    if (proofLines.length > MAX_PROOF_LINES) return { status: 400, body: `more than ${MAX_PROOF_LINES} consistency proof lines\n` };
    const proof: string[] = [];
    for (const line of proofLines) {
      const hash = Buffer.from(line, 'base64');
      if (hash.length !== 32 || hash.toString('base64') !== line) return { status: 400, body: 'a consistency proof line is not a base64 SHA-256 hash\n' };
      proof.push(hash.toString('hex'));
    }
    const message = text.slice(split + 2);
    let opened: ReturnType<typeof openNote>;
    let checkpoint: ReturnType<typeof parseCheckpointText>;
    try {
      checkpoint = parseCheckpointText(message.slice(0, message.lastIndexOf('\n\n') + 1));
    } catch (error) {
      return { status: 400, body: `${(error as Error).message}\n` };
    }
    const keys = this.logs.get(checkpoint.origin);
    if (!keys) return { status: 404, body: `unknown log ${checkpoint.origin}\n` };
    try {
      opened = openNote(message, keys);
    } catch (error) {
      if (error instanceof NoteError) return { status: 403, body: `${error.message}\n` };
      throw error;
    }
    const oldSize = Number(old[1]);
    if (oldSize > checkpoint.treeSize) return { status: 400, body: `the old size ${oldSize} is larger than the checkpoint's ${checkpoint.treeSize}\n` };
    const step = this.serial.then(async (): Promise<Answer> => {
      const last = await this.state.read(checkpoint.origin);
      const lastSize = last?.treeSize ?? 0;
      if (oldSize !== lastSize) return { status: 409, body: `${lastSize}\n`, type: SIZE_TYPE };
      const refuse = async (reason: string): Promise<Answer> => {
        await this.keepEvidence(checkpoint.origin, oldSize, checkpoint.treeSize, text);
        this.options.log?.(`witness: refused ${checkpoint.origin} ${oldSize} → ${checkpoint.treeSize}: ${reason}`);
        return { status: 422, body: `${reason}\n` };
      };
      if (checkpoint.treeSize === 0 && checkpoint.rootHash !== emptyRoot('sha256')) return refuse('a checkpoint of size 0 must have the root of the empty tree');
      if (oldSize === 0 && proof.length > 0) return refuse('the consistency proof from size 0 must be empty');
      if (last && oldSize > 0 && !verifyConsistency('sha256', oldSize, checkpoint.treeSize, last.rootHash, checkpoint.rootHash, proof)) {
        return refuse(oldSize === checkpoint.treeSize ? `the root at size ${oldSize} differs from the one cosigned` : `the consistency proof from size ${oldSize} (the last cosigned) to ${checkpoint.treeSize} does not verify`);
      }
      const timestamp = Math.floor((this.options.now?.() ?? new Date()).getTime() / 1000);
      const cosignature = cosignCheckpoint(opened.note.text, this.key, this.options.privateKey, timestamp);
      const logSignatures = opened.note.signatures.filter((s) => opened.verified.some((v) => v.key.name === s.name && v.key.keyId === s.keyId));
      await this.state.write({
        origin: checkpoint.origin,
        treeSize: checkpoint.treeSize,
        rootHash: checkpoint.rootHash,
        checkpoint: `${opened.note.text}\n${logSignatures.map((s) => s.line).join('')}${cosignature}`,
      });
      return { status: 200, body: cosignature };
    });
    this.serial = step.catch(() => undefined);
    return step;
  }

  /** `GET <prefix>/<sha256(origin) hex>/checkpoint`: the latest checkpoint cosigned for that log. */
  async latest(hash: string): Promise<Answer> {
    const log = /^[0-9a-f]{64}$/.test(hash) ? await this.state.readHash(hash) : null;
    return log ? { status: 200, body: log.checkpoint } : { status: 404, body: 'this witness has cosigned no checkpoint of that log\n' };
  }

  /** A validly signed checkpoint that is not consistent: the log's own signature on a split view or a rewrite. */
  private async keepEvidence(origin: string, oldSize: number, size: number, request: string): Promise<void> {
    const dir = join(this.options.stateDir, 'evidence');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${originHash(origin).slice(0, 16)}-${oldSize}-${size}-${Date.now()}.txt`), request, { mode: 0o644 });
  }
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > MAX_BODY) {
        resolve(null);
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The witness on HTTP: `POST /add-checkpoint`, `GET /<origin hash>/checkpoint`, and `GET /` naming its key and logs. */
export async function startWitness(options: WitnessOptions): Promise<RunningWitness> {
  const witness = new Witness(options);
  await witness.open();
  const vkey = formatVkey(witness.key);
  const server: Server = createServer((req, res) => {
    const reply = (answer: Answer) => {
      res.writeHead(answer.status, { 'content-type': answer.type ?? 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(answer.body);
    };
    const fail = (error: unknown) => {
      options.log?.(`witness: ${String(error)}`);
      reply({ status: 500, body: 'the witness could not answer\n' });
    };
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/add-checkpoint') {
      if (req.method !== 'POST') return reply({ status: 405, body: 'POST only\n' });
      void readBody(req).then((body) => (body === null ? reply({ status: 413, body: `the request is larger than ${MAX_BODY} bytes\n` }) : witness.addCheckpoint(body).then(reply)), fail);
      return;
    }
    if (req.method !== 'GET') return reply({ status: 405, body: 'GET only\n' });
    const monitor = /^\/([^/]+)\/checkpoint$/.exec(path);
    if (monitor) return void witness.latest(monitor[1]).then(reply, fail);
    if (path === '/') return reply({ status: 200, body: `tlog-witness ${vkey}\n${options.logs.map((l) => `log ${formatVkey(l)}\n`).join('')}` });
    reply({ status: 404, body: 'not found\n' });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const host = options.host ?? '127.0.0.1';
  const shown = ['0.0.0.0', '::', ''].includes(host) ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    port,
    key: witness.key,
    vkey,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
