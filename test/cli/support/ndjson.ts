import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Client } from 'pg';
import { chainHash, GENESIS_HASH, type StoredEvent } from '@cadre-ledger/event-store';

/** Lines of a file as the import reads them. */
export const toNdjson = (lines: readonly unknown[]): string => lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n';

export const writeNdjson = (path: string, lines: readonly unknown[]): void => writeFileSync(path, toNdjson(lines), 'utf8');

/**
 * `cadres` cadres, each registered and reviewed every year from 2006, in the export format with
 * revisions and hashes: a large valid file made in milliseconds (the demo goes through the ledger).
 */
export function reviewedCadres(cadres: number, reviewsEach: number): Omit<StoredEvent, 'recordedAt' | 'globalPosition'>[] {
  const lines: Omit<StoredEvent, 'recordedAt' | 'globalPosition'>[] = [];
  for (let c = 0; c < cadres; c++) {
    const cadreId = `bulk-${c}`;
    const stream = `cadre-${cadreId}`;
    let prevHash = GENESIS_HASH;
    const add = (type: string, effectiveAt: string, data: Record<string, unknown>) => {
      return { eventId: randomUUID(), type, schemaVersion: 1, stream, effectiveAt, actor: 'org-陕西', documentRef: '陕组干〔2020〕1号', data };
    };
    const events = [
      add('CadreRegistered', '2005-03-01', { cadreId, name: '周伟', unitId: 'sx-fgw', jurisdiction: 'CN-SN', position: { title: '处长', level: 'county-chief', leadership: true, principal: false } }),
      ...Array.from({ length: reviewsEach }, (_, i) => add('AnnualReviewRecorded', `${2006 + i}-01-15`, { year: 2005 + i, grade: i % 4 === 0 ? 'excellent' : 'competent' })),
    ];
    events.forEach((event, revision) => {
      const hash = chainHash(prevHash, { ...event, revision }, 'v2-sha256');
      lines.push({ ...event, revision, prevHash, hash, hashFormat: 'v2-sha256' });
      prevHash = hash;
    });
  }
  return lines;
}

/** Rows of the events table, for comparisons that must not go through the code under test. */
export async function storedRows(url: string): Promise<{ stream: string; revision: number; event_id: string; hash: string; prev_hash: string }[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT stream, revision::int AS revision, event_id, hash, prev_hash FROM ledger_events ORDER BY stream, revision');
    return rows;
  } finally {
    await client.end();
  }
}

export async function countEvents(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM ledger_events");
    return Number(rows[0].n);
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return 0; // the CLI has not created the table yet
    throw error;
  } finally {
    await client.end();
  }
}
