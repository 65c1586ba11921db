import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { loadSigningKey, parsePolicy, publicKeyFromPem, splitNotes, type CheckpointSource, type SigningKey, type WitnessPolicy } from '@cadre-ledger/audit';
import type { CliConfig } from './config';
import { usageError } from './exit-codes';

/** The file the server generates its tree-head key into when none is configured (bootstrap.ts). */
export const DATA_DIR_SIGNING_KEY = 'signing-key.pem';

/** The public key heads are checked against, and where it came from (the report says which). */
export interface TrustAnchor {
  key: KeyObject;
  source: string;
}

/**
 * `--public-key FILE` (a public PEM, or the private one), else the server's configured signing key
 * (`LEDGER_SIGNING_KEY`, `LEDGER_SIGNING_KEY_FILE`, or the one generated in the data dir). An
 * auditor passes the file published to them: a key read from the operator's machine proves less.
 */
export function trustAnchor(config: CliConfig, file: string | undefined, witnessPolicy?: { file: string; policy: WitnessPolicy }): TrustAnchor | undefined {
  if (file) return publicKeyFile(file);
  const fromPolicy = witnessPolicy && policyAnchor(witnessPolicy.file, witnessPolicy.policy);
  if (fromPolicy) return fromPolicy;
  const key = configuredSigningKey(config);
  return key ? { key: key.key.publicKey, source: key.source } : undefined;
}

/** The log key a witness policy names (when it names one): the auditor's own file, not the operator's machine. */
export function policyAnchor(file: string, policy: WitnessPolicy): TrustAnchor | undefined {
  const [log, ...others] = policy.logs;
  return log && others.length === 0 ? { key: log.key.publicKey, source: `${file} (log ${log.key.name})` } : undefined;
}

/** `--public-key FILE`: a public PEM, or the private one it derives from. */
export function publicKeyFile(file: string): TrustAnchor {
  try {
    return { key: publicKeyFromPem(readFileSync(file, 'utf8')), source: file };
  } catch (error) {
    throw usageError(`--public-key ${file}: ${(error as Error).message}`);
  }
}

/** The configured signing key, if any; never generates one (only the server does, once). */
export function configuredSigningKey(config: CliConfig): { key: SigningKey; source: string } | undefined {
  const pem = config.signing.keyPem;
  const file = config.signing.keyFile;
  const generated = join(config.dataDir, DATA_DIR_SIGNING_KEY);
  const source = pem ? 'LEDGER_SIGNING_KEY' : file ? file : existsSync(generated) ? generated : undefined;
  if (!source) return undefined;
  try {
    const key = loadSigningKey({ pem: pem || undefined, file: file || (pem ? undefined : generated) });
    return key ? { key, source } : undefined;
  } catch (error) {
    throw usageError(`the signing key from ${source}: ${(error as Error).message}`);
  }
}

/** `--witness-policy FILE`: a C2SP tlog-policy file. */
export function readPolicy(file: string): WitnessPolicy {
  try {
    return parsePolicy(readFileSync(file, 'utf8'));
  } catch (error) {
    throw usageError(`--witness-policy ${file}: ${(error as Error).message}`);
  }
}

/** `--checkpoint FILE`: one or more checkpoints as signed notes (a saved GET /v1/audit/checkpoint, the checkpoints file). */
export function readCheckpoints(file: string): CheckpointSource[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw usageError(`--checkpoint ${file}: ${(error as Error).message}`);
  }
  const notes = splitNotes(text);
  if (notes.length === 0) throw usageError(`--checkpoint ${file}: no checkpoint in it`);
  return notes.map((note) => ({ source: file, note }));
}
