import { columns, t } from '../lang';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  acceptCheckpoints,
  checkpointNote,
  checkpointsFromWitnesses,
  cosignedCheckpoints,
  describeQuorum,
  parseTreeHeads,
  verifyLedger,
  type CheckpointSource,
  type LedgerVerification,
  type TreeHead,
  type WitnessPolicy,
} from '@cadre-ledger/audit';
import { cadreStream } from '@cadre-ledger/domain';
import type { EventStore, VerifyResult } from '@cadre-ledger/event-store';
import { withLedger } from '../context';
import { EXIT_REFUSED, refused, usageError } from '../exit-codes';
import { readCheckpoints, readPolicy, trustAnchor } from '../keys';
import { note, table, write, writeJson } from '../output';

interface VerifyOptions {
  cadre?: string;
  digest?: string[];
  publicKey?: string;
  witnessPolicy?: string;
  checkpoint?: string[];
  json?: boolean;
}

/** What `ledger verify` prints: the verification, and what it trusted. */
export interface VerifyReport extends LedgerVerification {
  /** Where the public key came from; null when none was found (signatures then unchecked). */
  publicKey: string | null;
  /** How many saved heads (--digest) the events were checked against. */
  digests: number;
  /** With --witness-policy: the checkpoints its quorum cosigned, checked against the events. */
  witnesses?: {
    policy: string;
    quorum: string;
    /** The largest tree size the quorum cosigned; null when no checkpoint meets the policy. */
    lastCosignedSize: number | null;
    accepted: { treeSize: number; by: string; source: string }[];
    refused: { source: string; treeSize?: number; problem: string }[];
    unreachable: { source: string; problem: string }[];
    /** Events after the last cosigned size: signed by the ledger, not yet witnessed. */
    unwitnessed: number;
  };
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('full verification: every chain, every leaf of the ledger-wide log, every signed head, saved heads (--digest), the read audit; exit 1 naming what changed')
    .option('--cadre <cadreId>', 'check only this cadre\'s stream (its chain, not the log)')
    .option('--digest <file...>', 'heads saved outside the database (`ledger digest`, GET /v1/audit/digest, a heads file): nothing they cover may have changed since')
    .option('--public-key <file>', 'the key heads must be signed with (PEM); default: the log key of --witness-policy, else the configured signing key')
    .option('--witness-policy <file>', 'a C2SP tlog-policy file (log, witnesses, quorum): the events must have the roots its quorum of witnesses cosigned; fails naming the last cosigned size')
    .option('--checkpoint <file...>', 'checkpoints saved outside the database (GET /v1/audit/checkpoint, the checkpoints file), checked with --witness-policy')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nWith a head saved before a change, any change of a stored field, deletion (a stream\'s tail, a whole\n' +
        'stream, a middle event), reordering or insertion is reported; events after the newest signed head\n' +
        'are reported as not yet covered. Example: ledger digest > head.json; …; ledger verify --digest head.json --public-key ledger.pub',
    )
    .action(async (options: VerifyOptions) => {
      if (options.cadre !== undefined) {
        if (options.digest || options.witnessPolicy) throw usageError('--digest and --witness-policy check the whole ledger; leave out --cadre');
        const result = await withLedger(({ store }) => verifyOne(store, options.cadre!));
        await printStream(result, options.cadre, options.json === true);
        if (!result.ok) process.exitCode = EXIT_REFUSED;
        return;
      }
      const digests = (options.digest ?? []).flatMap(readHeads);
      if (options.checkpoint && !options.witnessPolicy) throw usageError('--checkpoint is checked with --witness-policy');
      const policy = options.witnessPolicy ? readPolicy(options.witnessPolicy) : undefined;
      const saved = (options.checkpoint ?? []).flatMap(readCheckpoints);
      const report = await withLedger(async ({ store, pool, config }) => {
        const anchor = trustAnchor(config, options.publicKey, policy && { file: options.witnessPolicy!, policy });
        const witnessed = policy ? await witnessedRoots(pool, policy, saved) : undefined;
        const progress = process.stderr.isTTY ? (events: number) => process.stderr.write(`\rverified ${events} event(s)…`) : undefined;
        const result = await verifyLedger({ store, pool, publicKey: anchor?.key, digests, witnessed: witnessed?.accepted, onProgress: progress });
        if (progress) process.stderr.write('\n');
        const verified: VerifyReport = { ...result, publicKey: anchor?.source ?? null, digests: digests.length };
        if (!policy || !witnessed) return verified;
        const quorum = describeQuorum(policy.quorum);
        const { lastCosignedSize } = witnessed;
        if (lastCosignedSize === null) {
          verified.findings.push({ kind: 'unwitnessed', detail: `no checkpoint is signed by the policy's log and cosigned by its quorum, ${quorum}: nothing the ledger says is witnessed` });
          verified.ok = false;
        }
        return {
          ...verified,
          witnesses: {
            policy: options.witnessPolicy!,
            quorum,
            lastCosignedSize,
            accepted: witnessed.accepted.map(({ treeSize, by, source }) => ({ treeSize, by, source })),
            refused: witnessed.refused,
            unreachable: witnessed.unreachable,
            unwitnessed: Math.max(0, result.events - (lastCosignedSize ?? 0)),
          },
        };
      });
      await print(report, options.json === true);
      if (!report.ok) process.exitCode = EXIT_REFUSED;
    });
}

/**
 * The checkpoints a policy accepts, from everywhere they can be found: the ledger's table, files
 * saved elsewhere, and what each of the policy's witnesses says it last cosigned (which the
 * operator cannot delete).
 */
async function witnessedRoots(pool: Parameters<typeof cosignedCheckpoints>[0], policy: WitnessPolicy, saved: CheckpointSource[]) {
  const stored = (await cosignedCheckpoints(pool)).map((c) => ({ source: 'the ledger\'s checkpoints', note: checkpointNote(c) }));
  const fromWitnesses = await checkpointsFromWitnesses(policy);
  const sorted = acceptCheckpoints([...stored, ...saved, ...fromWitnesses.sources], policy);
  // Stored checkpoints a witness has not cosigned yet are the normal lag, not worth a line.
  return { ...sorted, refused: sorted.refused.filter((r) => r.source !== 'the ledger\'s checkpoints' || !r.problem.startsWith('cosigned by')), unreachable: fromWitnesses.unreachable };
}

function readHeads(file: string): TreeHead[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw usageError(`--digest ${file}: ${(error as Error).message}`);
  }
  try {
    return parseTreeHeads(text);
  } catch (error) {
    throw usageError(`--digest ${file}: ${(error as Error).message}`);
  }
}

async function verifyOne(store: EventStore, cadreId: string): Promise<VerifyResult> {
  const stream = cadreStream(cadreId);
  const result = await store.verifyStream(stream);
  if (result.checked === 0) throw refused(`no cadre ${cadreId}: stream ${stream} holds no events`);
  return result;
}

async function printStream(result: VerifyResult, cadreId: string, json: boolean): Promise<void> {
  if (json) return writeJson({ ...result, cadreId });
  const out = table(columns('streamColumns'));
  out.push([cadreId, result.checked, result.ok ? t('chainIntact') : t('chainAltered', result.brokenAt?.revision ?? -1, result.brokenAt?.eventId ?? '')]);
  await write(`${out.toString()}\n`);
}

async function print(report: VerifyReport, json: boolean): Promise<void> {
  if (json) return writeJson(report);
  const formats = Object.entries(report.formats).map(([format, n]) => `${format}: ${n}`).join(', ') || '-';
  const summary = table(columns('verifyColumns'));
  summary.push([
    report.events,
    report.streams,
    formats,
    report.headsChecked,
    report.digests,
    report.uncovered,
    report.accessRecords,
    report.ok ? t('intact') : t('findings', report.findings.length),
  ]);
  let text = `${summary.toString()}\n`;
  if (report.findings.length > 0) {
    const found = table(columns('findingColumns'));
    for (const f of report.findings) found.push([f.kind, f.stream ?? '', f.revision ?? '', f.eventId ?? '', f.globalPosition ?? f.treeSize ?? '', f.detail]);
    text += `${found.toString()}\n`;
  }
  await write(text);
  if (!report.signaturesChecked) note(t('noPublicKey'));
  else note(t('keyChecked', report.publicKey ?? ''));
  if (report.headsChecked === 0 && report.digests === 0) note(t('noHead'));
  if (report.uncovered > 0) note(t('uncovered', report.uncovered));
  const witnesses = report.witnesses;
  if (witnesses) {
    for (const r of witnesses.unreachable) note(t('witnessUnreachable', r.source, r.problem));
    for (const r of witnesses.refused) note(t('checkpointRefused', r.source, r.problem));
    const last = witnesses.accepted.find((a) => a.treeSize === witnesses.lastCosignedSize);
    if (last) note(t('witnessChecked', witnesses.quorum, last.treeSize, last.source));
    if (last && witnesses.unwitnessed > 0) note(t('unwitnessedEvents', witnesses.unwitnessed, last.treeSize));
  }
}
