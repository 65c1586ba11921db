import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, configurationTable, describeConfig, loadConfig } from './config';
import { embeddedPasswordFile } from './embedded-password';

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('the one configuration', () => {
  it('starts from safe defaults: loopback only, the embedded server under the data dir, no fixed password', () => {
    const config = loadConfig({});
    expect(config.http).toMatchObject({ host: '127.0.0.1', port: 3000 });
    expect(config.database).toEqual({ kind: 'embedded', dataDir: resolve('.data/postgres'), port: 54329, database: 'cadre_ledger', user: 'postgres' });
    expect(config.signing.headsFile).toBe(resolve('.data/heads.ndjson'));
    expect(config).toMatchObject({ projectorMode: 'follow', apiProjector: true, logLevel: 'info', kafka: { brokers: [], groupId: 'cadre-ledger-projectors' } });
  });

  it('names every bad variable at once, with what it must be and what it got', () => {
    const problems = problemsOf({ PORT: 'eighty', LOG_LEVEL: 'loud', KAFKA_BROKERS: 'kafka-1', LEDGER_EARLIEST_DATE: '1900-13-01', PROJECTOR_MODE: 'both', LEDGER_JWT_SECRET: 'short', EMBEDDED_PG_PORT: '70000' });
    expect(problems).toHaveLength(7);
    for (const name of ['PORT', 'LOG_LEVEL', 'KAFKA_BROKERS', 'LEDGER_EARLIEST_DATE', 'PROJECTOR_MODE', 'LEDGER_JWT_SECRET', 'EMBEDDED_PG_PORT']) {
      expect(problems.some((p) => p.startsWith(`${name} `))).toBe(true);
    }
    expect(problems.find((p) => p.startsWith('PORT '))).toBe('PORT must be a whole number from 0 to 65535, got "eighty"');
    expect(new ConfigError(problems).message).toContain('7 problem(s)');
  });

  it('reads the same database from the same variables wherever it runs', () => {
    const env = { LEDGER_DATA_DIR: '/srv/ledger', EMBEDDED_PG_PORT: '6543' };
    expect(loadConfig(env).database).toMatchObject({ kind: 'embedded', dataDir: '/srv/ledger/postgres', port: 6543 });
    expect(loadConfig({ ...env, DATABASE_URL: 'postgres://ledger@db:5432/ledger' }).database).toEqual({ kind: 'external', url: 'postgres://ledger@db:5432/ledger' });
    expect(problemsOf({ DATABASE_URL: 'mysql://x' })).toEqual([expect.stringMatching(/^DATABASE_URL must be a URL \(postgres: or postgresql:\)/)]);
  });

  it('needs issuer and audience with a JWKS, and maps IdP roles to ledger roles', () => {
    expect(problemsOf({ LEDGER_JWKS_URL: 'https://idp.example/realms/sx/protocol/openid-connect/certs' })).toEqual([
      expect.stringMatching(/^LEDGER_JWT_ISSUER is required/),
      expect.stringMatching(/^LEDGER_JWT_AUDIENCE is required/),
    ]);
    const config = loadConfig({
      LEDGER_JWKS_URL: 'https://idp.example/certs',
      LEDGER_JWT_ISSUER: 'https://idp.example/realms/sx',
      LEDGER_JWT_AUDIENCE: 'cadre-ledger, cadre-ledger-dashboard',
      LEDGER_JWT_ROLES_CLAIM: 'realm_access.roles',
      LEDGER_JWT_ROLE_MAP: 'zzb-ganbu=organization, shenji=auditor+dashboard',
    });
    expect(config.auth).toEqual({
      jwks: { url: 'https://idp.example/certs', issuer: 'https://idp.example/realms/sx', audience: ['cadre-ledger', 'cadre-ledger-dashboard'], algorithms: ['RS256', 'ES256'] },
      rolesClaim: 'realm_access.roles',
      unitsClaim: 'units',
      subjectClaim: 'sub',
      roleMap: { 'zzb-ganbu': ['organization'], shenji: ['auditor', 'dashboard'] },
      maxLifetimeSeconds: 31 * 86_400,
    });
    expect(loadConfig({ LEDGER_JWT_MAX_LIFETIME_DAYS: '2' }).auth.maxLifetimeSeconds).toBe(2 * 86_400);
    expect(loadConfig({ LEDGER_IMPORT_MAX_PROBLEMS: '20', LEDGER_IMPORT_MAX_MB: '5' }).imports.limits).toMatchObject({ maxProblems: 20, maxFileBytes: 5 * 1024 * 1024 });
    expect(problemsOf({ LEDGER_JWT_ROLE_MAP: 'zzb=superuser' })).toEqual([expect.stringContaining('"zzb=superuser" is not idp-role=ledger-role')]);
    expect(problemsOf({ LEDGER_JWT_ALGORITHMS: 'HS256' })).toEqual([expect.stringMatching(/^LEDGER_JWT_ALGORITHMS must list asymmetric algorithms/)]);
  });

  it('refuses contradictions between variables', () => {
    expect(problemsOf({ PROJECTOR_MODE: 'kafka-group' })).toEqual(['PROJECTOR_MODE=kafka-group needs KAFKA_BROKERS']);
    expect(problemsOf({ LEDGER_SIGNING_KEY: '-----BEGIN PRIVATE KEY-----x', LEDGER_SIGNING_KEY_FILE: '/run/secrets/key' })).toEqual([expect.stringMatching(/both set/)]);
  });

  it('names variables nobody reads, with the one probably meant', () => {
    expect(loadConfig({ LEDGER_JWT_SECERT: 'x', LEDGER_TEST_NO_INSTALL: '1', LEDGER_SOMETHING_ELSE_ENTIRELY: '1' }).unknownVariables).toEqual([
      'LEDGER_JWT_SECERT (did you mean LEDGER_JWT_SECRET?)',
      'LEDGER_SOMETHING_ELSE_ENTIRELY',
    ]);
  });

  it('hides secrets when it describes itself', () => {
    const rows = describeConfig({ DATABASE_URL: 'postgres://ledger:hunter2@db/ledger', PORT: '8080' });
    expect(rows.find((r) => r.name === 'DATABASE_URL')).toEqual({ name: 'DATABASE_URL', value: '(set, hidden)', source: 'set' });
    expect(rows.find((r) => r.name === 'PORT')).toEqual({ name: 'PORT', value: '8080', source: 'set' });
    expect(JSON.stringify(rows)).not.toContain('hunter2');
  });

  it('keeps the generated password beside the cluster directory, not in it', () => {
    expect(embeddedPasswordFile('/srv/ledger/postgres')).toBe('/srv/ledger/postgres.password');
  });

  it('is the table docs/configuration.md shows (ledger config --markdown)', () => {
    const page = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'configuration.md'), 'utf8');
    expect(page).toContain(configurationTable());
  });
});

describe('EVENTSTORE_CONNECTION_STRING', () => {
  it('takes a single node and a cluster of several host:port pairs, and refuses another scheme', () => {
    expect(loadConfig({ EVENTSTORE_CONNECTION_STRING: 'esdb://kurrentdb:2113?tls=false' }).eventStoreConnectionString).toBe('esdb://kurrentdb:2113?tls=false');
    const cluster = 'esdb://kurrentdb-1:2113,kurrentdb-2:2113,kurrentdb-3:2113?tls=true&tlsCAFile=/certs/ca/ca.crt';
    expect(loadConfig({ EVENTSTORE_CONNECTION_STRING: cluster }).eventStoreConnectionString).toBe(cluster);
    expect(() => loadConfig({ EVENTSTORE_CONNECTION_STRING: 'http://kurrentdb:2113' })).toThrow(/EVENTSTORE_CONNECTION_STRING must be an esdb:\/\//);
  });
});

describe('witnessing (LEDGER_LOG_ORIGIN, LEDGER_WITNESSES)', () => {
  const jw = 'jw.sx.example/witness+5e6f7a8b+BBpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
  const sj = 'sj.sx.example/witness+9c0d1e2f+BNtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';

  it('reads the origin and the witnesses as vkey and URL pairs; the checkpoints file beside the heads', () => {
    const config = loadConfig({ LEDGER_LOG_ORIGIN: 'zzb.sx.example/cadre-ledger', LEDGER_WITNESSES: `${jw} https://jw.sx.example/witness, ${sj}  http://10.0.0.7:3200` });
    expect(config.witnessing).toEqual({
      origin: 'zzb.sx.example/cadre-ledger',
      witnesses: [{ vkey: jw, url: 'https://jw.sx.example/witness' }, { vkey: sj, url: 'http://10.0.0.7:3200' }],
      retrySeconds: 30,
      checkpointsFile: resolve('.data/checkpoints.txt'),
    });
    expect(loadConfig({ LEDGER_CHECKPOINTS_FILE: 'off' }).witnessing).toEqual({ witnesses: [], retrySeconds: 30 });
  });

  it('refuses a malformed witness, an origin with a space, and witnesses for an SM3 store', () => {
    expect(problemsOf({ LEDGER_WITNESSES: `${jw}`, LEDGER_LOG_ORIGIN: 'zzb ledger' })).toEqual([
      expect.stringMatching(/^LEDGER_LOG_ORIGIN must be a key name/),
      expect.stringMatching(/^LEDGER_WITNESSES ".*" is not "<vkey> <http\(s\) url>"/),
    ]);
    expect(problemsOf({ LEDGER_WITNESSES: `${jw} ftp://x` })).toHaveLength(1);
    expect(problemsOf({ LEDGER_HASH_ALGORITHM: 'sm3', LEDGER_WITNESSES: `${jw} https://jw.sx.example/witness` })).toEqual([expect.stringContaining('commit to SHA-256 trees only')]);
  });
});
