import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { loadSigningKey, publicKeyFromPem, type SigningKey } from '@cadre-ledger/audit';
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
export function trustAnchor(config: CliConfig, file: string | undefined): TrustAnchor | undefined {
  if (file) return publicKeyFile(file);
  const key = configuredSigningKey(config);
  return key ? { key: key.key.publicKey, source: key.source } : undefined;
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
