import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type JWK, type KeyLike } from 'jose';
import { startTestApi, register, type TestApi } from './support/test-api';

/**
 * Tokens from an existing identity provider (Keycloak-style OIDC): RS256 and ES256 tokens verified
 * against the provider's JWKS, served here by a local HTTP server, with issuer and audience
 * checked, roles read from `realm_access.roles` and mapped, units from a space-separated claim,
 * and a new signing key (new `kid`) accepted without a restart. The server's own HS256 tokens keep
 * working beside them.
 */
jest.setTimeout(60_000);

const ISSUER = 'https://idp.sx.gov.example/realms/ganbu';
const AUDIENCE = 'cadre-ledger';

interface Key {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyLike;
  jwk: JWK;
}

async function newKey(kid: string, alg: Key['alg']): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

describe('identity from an existing IdP (JWKS)', () => {
  let api: TestApi;
  let jwks: Server;
  let published: Key[];
  let served = 200;
  let rsa: Key;

  const token = (key: Key, claims: Record<string, unknown> = {}, options: { issuer?: string; audience?: string; expires?: string | number } = {}) =>
    new SignJWT({ realm_access: { roles: ['zzb-ganbu', 'offline_access'] }, units: 'u-east u-west', preferred_username: '组织部-李明', ...claims })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .setSubject('f3a1c2d4-keycloak-user')
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expires ?? '5m')
      .sign(key.privateKey);
  const get = (path: string, bearer: string) => api.http().get(path).auth(bearer, { type: 'bearer' });

  beforeAll(async () => {
    rsa = await newKey('rsa-2026-01', 'RS256');
    published = [rsa, await newKey('ec-2026-01', 'ES256')];
    jwks = createServer((_req, res) => {
      res.writeHead(served, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: published.map((k) => k.jwk) }));
    });
    await new Promise<void>((done) => jwks.listen(0, '127.0.0.1', () => done()));
    const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/realms/ganbu/protocol/openid-connect/certs`;
    api = await startTestApi('idp', {
      auth: {
        jwks: { url, issuer: ISSUER, audience: [AUDIENCE], algorithms: ['RS256', 'ES256'] },
        rolesClaim: 'realm_access.roles',
        unitsClaim: 'units',
        subjectClaim: 'preferred_username',
        roleMap: { 'zzb-ganbu': ['organization'], shenji: ['auditor'] },
      },
      jwksOptions: { cooldownDuration: 0 },
    });
    await register(api, 'idp-1', 'u-east');
    await register(api, 'idp-2', 'u-north');
  });
  afterAll(async () => {
    await api?.close();
    await new Promise((done) => jwks?.close(done));
  });

  it('accepts RS256 and ES256 tokens of the provider, mapping roles and units, and records the configured subject as actor', async () => {
    for (const key of published) {
      expect((await get('/v1/cadres/idp-1', await token(key))).status).toBe(200);
      // u-north is not among the token's units: as for any scoped token, existence is not leaked.
      expect((await get('/v1/cadres/idp-2', await token(key))).status).toBe(404);
    }
    const write = await api.http().post('/v1/cadres/idp-1/talks').auth(await token(rsa), { type: 'bearer' }).send({ kind: 'reminder', reason: '提醒谈话', effectiveAt: '2024-03-01' });
    expect(write.status).toBe(201);
    const history = await get('/v1/cadres/idp-1/history', await token(rsa));
    expect(history.body.events.at(-1)).toMatchObject({ type: 'TalkHeld', actor: '组织部-李明' });
  });

  it('grants nothing for IdP roles the map does not name', async () => {
    const res = await get('/v1/cadres/idp-1', await token(rsa, { realm_access: { roles: ['offline_access', 'admin'] } }));
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain('roles []');
  });

  it.each([
    ['another issuer', { issuer: 'https://evil.example/realms/ganbu' }, /iss/],
    ['another audience', { audience: 'some-other-service' }, /aud/],
    ['an expired token', { expires: Math.floor(Date.now() / 1000) - 60 }, /expired/],
  ])('refuses %s with a 401', async (_what, options, detail) => {
    const res = await get('/v1/cadres/idp-1', await token(rsa, {}, options));
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(detail);
  });

  it('refuses a token signed by a key the provider does not publish', async () => {
    const stranger = await newKey('rsa-2026-01', 'RS256'); // the right kid, the wrong key
    expect((await get('/v1/cadres/idp-1', await token(stranger))).status).toBe(401);
    const unknownKid = await newKey('rsa-unknown', 'RS256');
    const res = await get('/v1/cadres/idp-1', await token(unknownKid));
    expect([res.status, res.body.detail]).toEqual([401, expect.stringContaining('no key with the token\'s kid')]);
  });

  it('follows a key rotation without a restart: a new kid is fetched when it first appears', async () => {
    const next = await newKey('rsa-2026-07', 'RS256');
    expect((await get('/v1/cadres/idp-1', await token(next))).status).toBe(401);
    published = [next, ...published];
    expect((await get('/v1/cadres/idp-1', await token(next))).status).toBe(200);
  });

  it('keeps the server\'s own HS256 tokens working beside the provider\'s', async () => {
    expect((await get('/v1/cadres/idp-2', await api.token(['admin']))).status).toBe(200);
  });

  it('answers 503 when the provider\'s keys cannot be fetched, not 401', async () => {
    const fresh = await newKey('rsa-2027-01', 'RS256');
    served = 500;
    try {
      const res = await get('/v1/cadres/idp-1', await token(fresh));
      expect([res.status, res.body.code ?? res.body.type]).toEqual([503, expect.stringContaining('identity-provider-unavailable')]);
      expect(res.headers['retry-after']).toBe('5');
    } finally {
      served = 200;
    }
  });
});
