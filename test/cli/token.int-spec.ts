import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { cliEnv, runLedger } from './support/ledger-cli';

jest.setTimeout(60_000);

// The token subcommand needs no database; the URL is never dialled.
const NO_DATABASE = 'postgres://unused@127.0.0.1:1/unused';

describe('ledger token (child process)', () => {
  it('mints an HS256 JWT with sub, roles, units and exp, signed with LEDGER_JWT_SECRET', async () => {
    const secret = 'a test secret of some length, 32+';
    const { code, stdout } = await runLedger(['token', '--role', 'auditor', '--units', 'sx-fgw,sx-jtt', '--ttl', '8h', '--sub', '审计-王'], cliEnv(NO_DATABASE, { LEDGER_JWT_SECRET: secret }));
    expect(code).toBe(0);
    const token = stdout.trim();
    expect(decodeProtectedHeader(token).alg).toBe('HS256');
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'] });
    expect(payload).toMatchObject({ sub: '审计-王', roles: ['auditor'], units: ['sx-fgw', 'sx-jtt'] });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(8 * 3600);
    await expect(jwtVerify(token, new TextEncoder().encode('another secret'))).rejects.toThrow();
  });

  it('falls back to the secret file the server keeps in the data dir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-token-'));
    writeFileSync(join(dataDir, 'jwt-secret'), 'kept-by-the-server\n');
    const { code, stdout } = await runLedger(['token', '--role', 'admin,organization', '--units', '*', '--ttl', '30m', '--json'], cliEnv(NO_DATABASE, { LEDGER_DATA_DIR: dataDir }));
    expect(code).toBe(0);
    const minted = JSON.parse(stdout);
    const { payload } = await jwtVerify(minted.token, new TextEncoder().encode('kept-by-the-server'));
    expect(payload).toMatchObject({ roles: ['admin', 'organization'], units: ['*'] });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(30 * 60);
  });

  it('exits 2 without a secret, for an unknown role, and for a malformed ttl', async () => {
    const noSecret = await runLedger(['token', '--role', 'admin', '--units', '*'], cliEnv(NO_DATABASE));
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toContain('LEDGER_JWT_SECRET');
    const env = cliEnv(NO_DATABASE, { LEDGER_JWT_SECRET: 's'.repeat(32) });
    const role = await runLedger(['token', '--role', 'superuser', '--units', '*'], env);
    expect(role.code).toBe(2);
    expect(role.stderr).toContain('unknown role superuser');
    expect((await runLedger(['token', '--role', 'admin', '--units', '*', '--ttl', 'soon'], env)).code).toBe(2);
    expect((await runLedger(['token', '--units', '*'], env)).code).toBe(2);
  });
});
