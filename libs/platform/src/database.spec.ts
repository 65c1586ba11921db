import { resolve } from 'node:path';
import { databaseConfigFromEnv, withDatabase } from './database';

describe('database configuration', () => {
  it('uses an external server when DATABASE_URL is set, and starts nothing', () => {
    expect(databaseConfigFromEnv({ DATABASE_URL: 'postgres://ledger:secret@db.internal:5432/ledger', EMBEDDED_PG_PORT: '1' })).toEqual({
      kind: 'external',
      url: 'postgres://ledger:secret@db.internal:5432/ledger',
    });
  });

  it('defaults to an embedded server in .data/postgres on port 54329, with no fixed password', () => {
    expect(databaseConfigFromEnv({})).toEqual({
      kind: 'embedded',
      dataDir: resolve('.data/postgres'),
      port: 54329,
      database: 'cadre_ledger',
      user: 'postgres',
    });
  });

  it('keeps the embedded cluster under LEDGER_DATA_DIR, as every process reads it', () => {
    expect(databaseConfigFromEnv({ LEDGER_DATA_DIR: '/srv/ledger' })).toMatchObject({ dataDir: '/srv/ledger/postgres' });
  });

  it('takes the embedded data directory and port from the environment', () => {
    expect(databaseConfigFromEnv({ EMBEDDED_PG_DATA_DIR: '/var/lib/ledger', EMBEDDED_PG_PORT: '6000' })).toMatchObject({
      kind: 'embedded',
      dataDir: '/var/lib/ledger',
      port: 6000,
    });
  });

  it('refuses a port that is not one', () => {
    expect(() => databaseConfigFromEnv({ EMBEDDED_PG_PORT: 'eighty' })).toThrow(/EMBEDDED_PG_PORT/);
    expect(() => databaseConfigFromEnv({ EMBEDDED_PG_PORT: '70000' })).toThrow(/EMBEDDED_PG_PORT/);
  });

  it('points a server URL at another database', () => {
    expect(withDatabase('postgres://u:p@127.0.0.1:5432/postgres', 'cadre_ledger')).toBe('postgres://u:p@127.0.0.1:5432/cadre_ledger');
  });
});
