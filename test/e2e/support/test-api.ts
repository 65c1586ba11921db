import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Pool } from 'pg';
import request from 'supertest';
import { PostgresEventStore } from '@cadre-ledger/event-store';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { waitUntil } from '@cadre-ledger/platform';
import { chinaDateOf } from '@cadre-ledger/domain';
import { Projector } from '@cadre-ledger/projections';
import { ClockFollower, conflictReactions } from '@cadre-ledger/clock';
import type { Ledger } from '@cadre-ledger/application';
import type { IntakeLimits } from '@cadre-ledger/intake';
import { LEDGER } from '../../../apps/api/src/tokens';
import { createApiApp, type ApiDependencies } from '../../../apps/api/src/app';
import { signToken, secretKey } from '../../../apps/api/src/auth/jwt';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

export const TEST_SECRET = 'e2e-secret-that-is-long-enough-for-hs256';

export interface TestApi {
  app: NestExpressApplication;
  http: () => ReturnType<typeof request>;
  /** A token for these roles and units (default every unit), valid for an hour. */
  token(roles: string[], units?: string[], sub?: string): Promise<string>;
  /** Events in the whole store: what "nothing was appended" is checked against. */
  eventCount(): Promise<number>;
  /**
   * Brings the read models up to everything appended so far (the test API runs no projector of its
   * own). With `reactions`, as a running projector does: the clock's marks and the conflict
   * detector's records are appended, and projected in turn, until nothing more follows.
   */
  project(today?: string, options?: { reactions?: boolean }): Promise<void>;
  db: TestDatabase;
  /** Where uploads wait for their import job (LEDGER_IMPORT_DIR). */
  importDir: string;
  close(): Promise<void>;
}

/** The API on a database of its own on the run's embedded PostgreSQL (the e2e globalSetup). */
export async function startTestApi(label: string, options: Pick<ApiDependencies, 'publicKey' | 'auth' | 'jwksOptions'> & { imports?: Omit<NonNullable<ApiDependencies['imports']>, 'limits'> & { limits?: Partial<IntakeLimits> } } = {}): Promise<TestApi> {
  const db = await createTestDatabase(label);
  const store = await PostgresEventStore.open({ connectionString: db.url, poolSize: 4 });
  const pool = new Pool({ connectionString: db.url, max: 3 });
  pool.on('error', () => undefined); // as the API's own pool: an idle connection the server drops is not a crash
  const ruleBook = readRuleBook();
  const importDir = mkdtempSync(join(tmpdir(), `imports-${label}-`));
  const app = await createApiApp({ store, pool, ruleBook, jwtSecret: TEST_SECRET, logLevel: 'silent', defaultMetrics: false, ...options, imports: { dir: importDir, connection: { databaseUrl: db.url }, ...options.imports } });
  const server = app.getHttpServer();
  return {
    app,
    db,
    importDir,
    http: () => request(server),
    token: (roles, units = ['*'], sub = `e2e-${roles.join('+') || 'none'}`) => signToken({ sub, roles, units }, secretKey(TEST_SECRET)),
    eventCount: async () => Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM ledger_events')).rows[0].n),
    project: async (today, options = {}) => {
      const day = () => today ?? chinaDateOf(new Date().toISOString());
      const reactions = options.reactions ? conflictReactions({ ledger: app.get<Ledger>(LEDGER), today: day }) : undefined;
      const projector = new Projector({ pool, store, ruleBook, today: day, onProjected: reactions?.onProjected });
      // The influence clock follows the store on its own, as it runs beside a projector.
      const clock = options.reactions ? (await ClockFollower.migrate(pool), new ClockFollower({ pool, store, ruleBook, ledger: app.get<Ledger>(LEDGER), today: day })) : undefined;
      const headNow = async () => Number((await pool.query<{ p: string | null }>('SELECT max(global_position) AS p FROM ledger_events')).rows[0].p ?? 0);
      // Readers see a position once every older transaction on the server has ended: wait for it.
      // A reaction appends and moves the head: go on until a pass leaves it where it was.
      for (let head = await headNow(), pass = 0; ; pass++) {
        await waitUntil(async () => (await projector.catchUp(), (await projector.checkpoint()) >= head), { timeoutMs: 30_000, description: 'the read models to catch up' });
        if (clock) await clock.catchUp();
        const after = await headNow();
        if (after === head || pass > 10) break;
        head = after;
      }
    },
    close: async () => {
      await app.close();
      await store.close();
      await pool.end();
      await db.drop();
      await rm(importDir, { recursive: true, force: true });
    },
  };
}

export const position = { title: '局长', level: 'county-chief', leadership: true, principal: true } as const;
export const deputy = { title: '副局长', level: 'county-deputy', leadership: true, principal: false } as const;

export function registration(cadreId: string, unitId = 'sx-fgw', effectiveAt = '2015-01-01') {
  return { cadreId, name: '周伟', unitId, jurisdiction: 'CN-SN', position, effectiveAt };
}

/** Registers a cadre as an admin and answers the 201 body. */
export async function register(api: TestApi, cadreId: string, unitId = 'sx-fgw', effectiveAt = '2015-01-01'): Promise<{ eventId: string; revision: number }> {
  const admin = await api.token(['admin']);
  const res = await api.http().post('/v1/cadres').auth(admin, { type: 'bearer' }).send(registration(cadreId, unitId, effectiveAt));
  if (res.status !== 201) throw new Error(`register ${cadreId}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { eventId: string; revision: number };
}

/** POST as an admin, answering the response. */
export async function post(api: TestApi, path: string, body: unknown, headers: Record<string, string> = {}) {
  const admin = await api.token(['admin']);
  let req = api.http().post(path).auth(admin, { type: 'bearer' });
  for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
  return req.send(body as object);
}
