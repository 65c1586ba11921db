import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { SignJWT } from 'jose';
import { LEDGER_ROLES } from '@cadre-ledger/platform';
import { cliConfigFromEnv } from '../config';
import { usageError } from '../exit-codes';
import { write, writeJson } from '../output';
import { jwtSecret } from '../secret';


const TTL_SHAPE = /^(\d+)([smhd])$/;
const SECONDS_PER: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `8h` → 28800. A token that outlives a working week is refused: mint a new one instead. */
export function ttlSeconds(ttl: string): number {
  const match = TTL_SHAPE.exec(ttl.trim());
  if (!match) throw usageError(`--ttl ${JSON.stringify(ttl)}: give a number and a unit, s, m, h or d (e.g. 8h)`);
  const seconds = Number(match[1]) * SECONDS_PER[match[2]];
  if (seconds <= 0 || seconds > 7 * 86_400) throw usageError('--ttl must lie between 1s and 7d');
  return seconds;
}

const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

interface TokenOptions {
  role: string;
  units: string;
  ttl: string;
  sub?: string;
  json?: boolean;
}

export function registerToken(program: Command): void {
  program
    .command('token')
    .description('mint an HS256 JWT for the HTTP API with the configured secret (LEDGER_JWT_SECRET, or <data dir>/jwt-secret)')
    .requiredOption('--role <roles>', `role(s), comma-separated: ${LEDGER_ROLES.join(', ')}`)
    .requiredOption('--units <units>', 'unit ids the bearer may act on, comma-separated, or * for every unit')
    .option('--ttl <duration>', 'lifetime: a number with s, m, h or d', '8h')
    .option('--sub <subject>', 'who acts (stored as actor on every event written with the token); default: the OS user')
    .option('--json', 'print {token, sub, roles, units, exp} as JSON')
    .action(async (options: TokenOptions) => {
      const roles = list(options.role);
      const unknown = roles.filter((role) => !(LEDGER_ROLES as readonly string[]).includes(role));
      if (roles.length === 0 || unknown.length > 0) throw usageError(`--role: unknown role ${unknown.join(', ') || '(none)'}; one of ${LEDGER_ROLES.join(', ')}`);
      const units = list(options.units);
      if (units.length === 0) throw usageError('--units: give at least one unit id, or *');
      const sub = options.sub?.trim() || userInfo().username || 'ledger-cli';
      const exp = Math.floor(Date.now() / 1000) + ttlSeconds(options.ttl);
      const token = await new SignJWT({ roles, units })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(new TextEncoder().encode(jwtSecret(cliConfigFromEnv())));
      if (options.json) await writeJson({ token, sub, roles, units, exp: new Date(exp * 1000).toISOString() });
      else await write(`${token}\n`);
    });
}
