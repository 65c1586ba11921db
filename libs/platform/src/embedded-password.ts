import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/** The fixed password clusters were created with before passwords were generated. */
export const LEGACY_EMBEDDED_PASSWORD = 'postgres';

export interface EmbeddedPassword {
  password: string;
  /** The cluster still has the old fixed password: move it to a generated one once the server runs. */
  legacy: boolean;
  file: string;
}

/**
 * The embedded cluster's password, kept beside the cluster in `<cluster dir>.password` (mode 0600).
 * A cluster not created yet gets a random one, written before initdb runs, so that a crash can
 * never leave a cluster whose password nobody knows. A cluster created before passwords were
 * generated still has the old fixed one (`legacy`).
 */
export async function embeddedPassword(clusterDir: string): Promise<EmbeddedPassword> {
  const file = embeddedPasswordFile(clusterDir);
  if (existsSync(file)) return { password: (await readFile(file, 'utf8')).trim(), legacy: false, file };
  if (existsSync(join(clusterDir, 'PG_VERSION'))) return { password: LEGACY_EMBEDDED_PASSWORD, legacy: true, file };
  const password = generatedPassword();
  await keepPassword(file, password);
  return { password, legacy: false, file };
}

export const generatedPassword = (): string => randomBytes(24).toString('base64url');

/** Writes the password file (0600) atomically: a reader never sees half a password. */
export async function keepPassword(file: string, password: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${password}\n`, { mode: 0o600 });
  await rename(temporary, file);
}

/** Where the generated password of an embedded cluster is kept: beside its directory, not inside it (initdb wants an empty one). */
export const embeddedPasswordFile = (clusterDir: string): string => join(dirname(resolve(clusterDir)), `${resolve(clusterDir).split(/[\\/]/).pop()}.password`);
