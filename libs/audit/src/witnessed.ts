import { originHash } from './witness-state';
import { NoteError, openNote } from './note';
import { checkCheckpoint, type WitnessPolicy } from './policy';
import type { WitnessedRoot } from './verify';

/** A checkpoint and where it was found (the ledger's table, a saved file, a witness). */
export interface CheckpointSource {
  source: string;
  note: string;
}

export interface WitnessedCheckpoints {
  /** Those the policy accepts: signed by its log, cosigned by its quorum. */
  accepted: (WitnessedRoot & { source: string })[];
  /** Those it does not, and why (too few cosignatures, a signature that fails, not a checkpoint). */
  refused: { source: string; treeSize?: number; problem: string }[];
  /** The largest tree size a quorum cosigned; null when none. */
  lastCosignedSize: number | null;
}

/**
 * Sorts checkpoints by what the policy says of them. The same checkpoint (the same text) found in
 * several places is judged once with every valid signature found for it: a witness serves the
 * checkpoint with its own cosignature only, so a quorum is often met only by putting them together.
 */
export function acceptCheckpoints(sources: readonly CheckpointSource[], policy: WitnessPolicy): WitnessedCheckpoints {
  const keys = [...policy.logs.map((l) => l.key), ...policy.witnesses.map((w) => w.key)];
  const refused: WitnessedCheckpoints['refused'] = [];
  const byText = new Map<string, { sources: string[]; lines: Set<string> }>();
  for (const { source, note } of sources) {
    let opened: ReturnType<typeof openNote>;
    try {
      opened = openNote(note, keys);
    } catch (error) {
      if (!(error instanceof NoteError)) throw error;
      refused.push({ source, problem: `not a checkpoint the policy accepts: ${error.message}` });
      continue;
    }
    const group = byText.get(opened.note.text) ?? { sources: [], lines: new Set<string>() };
    group.sources.push(source);
    for (const signature of opened.note.signatures) if (opened.verified.some((v) => v.key.name === signature.name && v.key.keyId === signature.keyId)) group.lines.add(signature.line);
    byText.set(opened.note.text, group);
  }
  const accepted: WitnessedCheckpoints['accepted'] = [];
  for (const [text, group] of byText) {
    const source = [...new Set(group.sources)].join('; ');
    const check = checkCheckpoint(`${text}\n${[...group.lines].join('')}`, policy);
    if (check.ok) accepted.push({ treeSize: check.checkpoint.treeSize, rootHash: check.checkpoint.rootHash, by: check.cosigners.join(', '), source });
    else refused.push({ source, ...(check.checkpoint ? { treeSize: check.checkpoint.treeSize } : {}), problem: check.problem });
  }
  return { accepted, refused, lastCosignedSize: accepted.length === 0 ? null : Math.max(...accepted.map((a) => a.treeSize)) };
}

/** The checkpoints in a file of notes (LEDGER_CHECKPOINTS_FILE, `GET /v1/audit/checkpoint` saved): each a text, a blank line, signature lines. */
export function splitNotes(text: string): string[] {
  const notes: string[] = [];
  let current = '';
  let signatures = false;
  const end = () => {
    if (current !== '') notes.push(current);
    current = '';
    signatures = false;
  };
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (line.startsWith('— ')) {
      current += `${line}\n`;
      signatures = true;
    } else if (line === '') {
      if (signatures) end();
      else if (current !== '') current += '\n';
    } else {
      if (signatures) end();
      current += `${line}\n`;
    }
  }
  end();
  return notes;
}

/**
 * What the policy's witnesses say they last cosigned for its logs (tlog-witness monitor retrieval,
 * `GET <url>/<sha256(origin)>/checkpoint`): the operator cannot hide these by deleting rows.
 */
export async function checkpointsFromWitnesses(policy: WitnessPolicy, timeoutMs = 5_000): Promise<{ sources: CheckpointSource[]; unreachable: { source: string; problem: string }[] }> {
  const sources: CheckpointSource[] = [];
  const unreachable: { source: string; problem: string }[] = [];
  await Promise.all(
    policy.witnesses.filter((w) => w.url).flatMap((witness) =>
      policy.logs.map(async (log) => {
        const source = `witness ${witness.name} (${witness.url})`;
        try {
          const response = await fetch(`${witness.url!.replace(/\/+$/, '')}/${originHash(log.key.name)}/checkpoint`, { signal: AbortSignal.timeout(timeoutMs) });
          if (response.status === 404) return;
          if (response.status !== 200) throw new Error(`answered ${response.status}`);
          sources.push({ source, note: await response.text() });
        } catch (error) {
          unreachable.push({ source, problem: error instanceof Error ? error.message : String(error) });
        }
      }),
    ),
  );
  return { sources, unreachable };
}
