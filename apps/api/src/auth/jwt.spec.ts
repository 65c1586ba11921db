import { SignJWT } from 'jose';
import { TokenRefused, secretKey, tokenVerifier } from './jwt';
import { mayRecordFinding, scopeFor } from './permissions';

/** Claims of a validly signed token: what the server does with those it should not trust. */
const KEY = secretKey('a-unit-test-secret-that-is-long-enough');
const verifier = tokenVerifier({ secret: KEY, maxLifetimeSeconds: 7 * 86_400 });
const sign = (claims: Record<string, unknown>, sub = 'zzb-hr', exp: string | number = '1h') => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime(exp).sign(KEY);

describe('the claims of a signed token', () => {
  it('keeps only the roles the ledger knows: a prototype member name grants nothing and breaks nothing', async () => {
    const principal = await verifier.verify(await sign({ roles: ['constructor', 'discipline', '__proto__', 'toString'], units: ['u-a'] }));
    expect(principal.roles).toEqual(['discipline']);
    expect(mayRecordFinding(['constructor', 'hasOwnProperty'], 'safety')).toBe(false);
    expect(scopeFor(['constructor'], ['*'], { write: 'findings' })).toBeNull();
  });

  it('refuses units that are not unit ids or *', async () => {
    for (const units of [[1], ['u-a', { all: true }], ['../u'], 'u-a', ['u a']]) {
      await expect(verifier.verify(await sign({ roles: ['admin'], units }))).rejects.toBeInstanceOf(TokenRefused);
    }
    expect((await verifier.verify(await sign({ roles: ['admin'], units: ['*', 'u-a'] }))).units).toEqual(['*', 'u-a']);
  });

  it('refuses an exp further ahead than the configured lifetime, and takes one within it', async () => {
    await expect(verifier.verify(await sign({ roles: ['admin'], units: ['*'] }, 'x', Date.UTC(9999, 0, 1) / 1000))).rejects.toThrow(/exp/);
    await expect(verifier.verify(await sign({ roles: ['admin'], units: ['*'] }, 'x', '8d'))).rejects.toBeInstanceOf(TokenRefused);
    expect((await verifier.verify(await sign({ roles: ['admin'], units: ['*'] }, 'x', '6d'))).sub).toBe('x');
  });

  it.each([
    ['a right-to-left override', 'admin\u202eresu'],
    ['a left-to-right mark', 'zzb\u200ehr'],
    ['an isolate', 'zzb\u2066hr\u2069'],
    ['an Arabic letter mark', 'zzb\u061chr'],
    ['a C1 control', 'zzb\u0085hr'],
    ['a line separator', 'zzb\u2028hr'],
    ['a tab', 'zzb\thr'],
  ])('refuses a sub holding %s', async (_name, sub) => {
    await expect(verifier.verify(await sign({ roles: ['admin'], units: ['*'] }, sub))).rejects.toBeInstanceOf(TokenRefused);
  });

  it('takes a Chinese sub', async () => {
    expect((await verifier.verify(await sign({ roles: ['admin'], units: ['*'] }, '组织部-李明'))).sub).toBe('组织部-李明');
  });
});
