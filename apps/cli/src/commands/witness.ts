import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Command } from 'commander';
import { NOTE_COSIGNATURE_V1, NOTE_ED25519, formatVkey, loadSigningKey, noteKey, parseVkey, startWitness, type NoteKey, type SigningKey } from '@cadre-ledger/audit';
import { usageError } from '../exit-codes';
import { note, write } from '../output';

/** The file a witness's key is generated into, once, in its state directory. */
const WITNESS_KEY_FILE = 'witness-key.pem';

interface KeyOptions {
  stateDir: string;
  name: string;
  keyFile?: string;
}

/** The witness's key: `--key-file`, else generated once into the state directory (mode 0600). */
function witnessKey(options: KeyOptions): { signing: SigningKey; key: NoteKey } {
  try {
    mkdirSync(options.stateDir, { recursive: true });
    const signing = loadSigningKey(options.keyFile ? { file: options.keyFile } : { generateInto: join(options.stateDir, WITNESS_KEY_FILE) })!;
    return { signing, key: noteKey(options.name, NOTE_COSIGNATURE_V1, signing.privateKey) };
  } catch (error) {
    throw usageError(`the witness key: ${(error as Error).message}`);
  }
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * `ledger witness`: the ledger's program in the role of a witness (c2sp.org/tlog-witness), run by
 * another organ — the 纪委监委, the audit office — on its own machine, with its own key and state.
 */
export function registerWitness(program: Command): void {
  const witness = program
    .command('witness')
    .description('run a witness that cosigns a ledger\'s checkpoints (C2SP tlog-witness): serve, vkey')
    .addHelpText('after', '\nWho runs one, how, and what it guarantees: docs/witnesses.md');
  const keyOptions = (command: Command) =>
    command
      .requiredOption('--state-dir <dir>', 'where the witness keeps its key (generated once) and, per log, the last checkpoint it cosigned')
      .requiredOption('--name <name>', 'its key name, a schema-less URL naming the organ (e.g. jw.sx.example/witness): part of its vkey')
      .option('--key-file <file>', 'its Ed25519 private key (PKCS#8 PEM); default: <state-dir>/witness-key.pem, generated once');

  keyOptions(witness.command('serve'))
    .description('serve POST /add-checkpoint and GET /<origin hash>/checkpoint until SIGINT or SIGTERM')
    .requiredOption('--log <vkey>', 'a log to witness: its vkey (GET /v1/audit/public-key gives it as `vkey`); repeat for several', collect)
    .option('--port <port>', 'port to listen on (0: a free one)', '3200')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .addHelpText(
      'after',
      '\nIt cosigns a checkpoint only when the log\'s key signed it and a consistency proof shows it extends the\n' +
        'last one it cosigned; it refuses anything else (and keeps the log\'s signed but inconsistent checkpoint\n' +
        'in <state-dir>/evidence). Its state is fsynced before it answers. Give the ledger its vkey and URL\n' +
        '(LEDGER_WITNESSES), and the auditors its vkey (a policy file for ledger verify --witness-policy).',
    )
    .action(async (options: KeyOptions & { log: string[]; port: string; host: string }) => {
      const { signing } = witnessKey(options);
      const logs = options.log.map((vkey) => {
        try {
          const key = parseVkey(vkey);
          if (key.type !== NOTE_ED25519) throw new Error('not an Ed25519 note key (type 0x01)');
          return key;
        } catch (error) {
          throw usageError(`--log ${vkey}: ${(error as Error).message}`);
        }
      });
      if (!/^\d{1,5}$/.test(options.port) || Number(options.port) > 65535) throw usageError(`--port ${options.port}: a port number`);
      const running = await startWitness({
        stateDir: options.stateDir,
        name: options.name,
        privateKey: signing.privateKey,
        logs,
        host: options.host,
        port: Number(options.port),
        log: (line) => note(line),
      });
      note(`witness ${options.name} listening on ${running.url} for ${logs.map((l) => l.name).join(', ')}; state in ${options.stateDir}`);
      await write(`${running.vkey}\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await running.close();
    });

  keyOptions(witness.command('vkey'))
    .description('print the witness\'s verifier key (generating its key once): what LEDGER_WITNESSES and a policy file name it by')
    .action(async (options: KeyOptions) => {
      await write(`${formatVkey(witnessKey(options).key)}\n`);
    });
}
