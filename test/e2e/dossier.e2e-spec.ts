import { deputy, post, startTestApi, type TestApi } from './support/test-api';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pdfText, squeezed } from '../support/pdf-text';
import { testOutputDir } from '../support/test-output';

/**
 * The nomination dossier (issue "What people look at", API.md "Nomination dossier"; 安康: 逐人说明
 * 适用条款): two candidates, one inside a demotion's lock and one with a priority, in JSON, in
 * printable HTML and in a PDF whose extracted text quotes every clause in Chinese; each
 * candidate's read audited; unknown candidates named; roles as API.md says; nothing appended.
 */
jest.setTimeout(120_000);

interface Clause {
  ruleId: string;
  document: string;
  article: string;
  text: string;
  effects: { effect: string; kind: string; from: string; until?: string | null }[];
  facts: { eventId: string; type: string; typeZh: string; effectiveAt: string; documentRef: string | null }[];
}
interface Candidate {
  cadreId: string;
  name: string;
  unitId: string;
  promotable: boolean;
  verdict: { promotable: boolean; asOf: string; locks: { ruleId: string; citation: { text: string } }[]; priorities: { ruleId: string }[]; conditions: { ruleId: string }[] };
  clauses: Clause[];
  conclusion: string;
}

const ASOF = '2026-06-30';
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

describe('POST /v1/nominations/dossier', () => {
  let api: TestApi;
  let demotion: { eventId: string };
  const request = { cadreIds: ['d-locked', 'd-free'], asOf: ASOF, purpose: '2026年县处级领导班子换届考察', proposedPosition: { title: '副县长', level: 'county-deputy' } };

  beforeAll(async () => {
    api = await startTestApi('dossier');
    const register = (cadreId: string, name: string) =>
      post(api, '/v1/cadres', { cadreId, name, unitId: 'sx-fgw', jurisdiction: 'CN-SN', managedBy: 'provincial', position: deputy, effectiveAt: '2015-01-01' });
    expect((await register('d-locked', '李明')).status).toBe(201);
    expect((await register('d-free', '王芳')).status).toBe(201);
    const moved = await post(api, '/v1/cadres/d-locked/adjustments', { kind: 'demotion', newPosition: { title: '主任科员', level: 'township-chief', leadership: false, principal: false }, effectiveAt: '2025-06-01', documentRef: '陕组发〔2025〕12号' });
    expect(moved.status).toBe(201);
    demotion = moved.body as { eventId: string };
    for (const year of [2021, 2022, 2023]) {
      expect((await post(api, '/v1/cadres/d-free/annual-reviews', { year, grade: 'excellent', effectiveAt: `${year + 1}-01-20`, documentRef: `陕考发〔${year + 1}〕3号` })).status).toBe(201);
    }
  });
  afterAll(async () => api?.close());

  const ask = async (body: unknown, accept = 'application/json', roles = ['organization'], units = ['sx-fgw']) =>
    api.http().post('/v1/nominations/dossier').auth(await api.token(roles, units), { type: 'bearer' }).set('Accept', accept).send(body as object);

  it('answers both verdicts with every clause quoted, the facts behind each (type, date, 文号) and a conclusion line, in the order asked', async () => {
    const before = await api.eventCount();
    const res = await ask(request);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ asOf: ASOF, purpose: request.purpose, proposedPosition: request.proposedPosition, generatedBy: 'e2e-organization' });
    const [locked, free] = res.body.candidates as Candidate[];
    expect([locked.cadreId, free.cadreId]).toEqual(request.cadreIds);
    expect(locked).toMatchObject({ name: '李明', unitId: 'sx-fgw', promotable: false });
    expect(free).toMatchObject({ name: '王芳', promotable: true });

    // The dossier's verdict is the eligibility endpoint's verdict on the same date.
    for (const candidate of [locked, free]) {
      const verdict = await api.http().get(`/v1/cadres/${candidate.cadreId}/eligibility?asOf=${ASOF}&knownAt=${encodeURIComponent(res.body.knownAt)}`).auth(await api.token(['organization'], ['sx-fgw']), { type: 'bearer' });
      expect(candidate.verdict).toEqual(verdict.body);
      // Every rule of the verdict has its clause, quoted as the verdict quotes it.
      const rules = [...verdict.body.locks, ...verdict.body.priorities, ...verdict.body.reviewTriggers, ...verdict.body.conditions, ...verdict.body.benefits] as { ruleId: string; citation: { document: string; article: string; text: string } }[];
      expect(new Set(candidate.clauses.map((c) => c.ruleId))).toEqual(new Set(rules.map((r) => r.ruleId)));
      for (const rule of rules) expect(candidate.clauses.find((c) => c.ruleId === rule.ruleId)).toMatchObject(rule.citation);
    }

    const lockClause = locked.clauses.find((c) => c.effects.some((e) => e.effect === 'lock'))!;
    expect(lockClause).toMatchObject({ ruleId: 'CN-SN/NSX-16b', article: '第十六条', text: '降职的,两年内不得提拔', effects: [{ effect: 'lock', kind: 'demotion', from: '2025-06-01', until: '2027-06-01' }] });
    expect(lockClause.facts).toEqual([expect.objectContaining({ eventId: demotion.eventId, type: 'CadreAdjusted', typeZh: '调整(能下)', effectiveAt: '2025-06-01', documentRef: '陕组发〔2025〕12号' })]);
    expect(locked.conclusion).toBe('不得提拔:李明截至2026-06-30处于降职影响期(至2027-06-01前,《陕西省推进省管党政领导干部能上能下办法(试行)》第十六条)。');

    const priority = free.clauses.find((c) => c.ruleId === 'CN-SN/JL-7-1')!;
    expect(priority.effects).toEqual([expect.objectContaining({ effect: 'priority', kind: 'three-years-excellent' })]);
    expect(priority.facts.map((f) => [f.type, f.documentRef])).toEqual(expect.arrayContaining([['AnnualReviewRecorded', expect.stringMatching(/^陕考发〔\d{4}〕3号$/)]]));
    expect(free.conclusion.startsWith('可以提名:王芳截至2026-06-30无影响提拔的情形')).toBe(true);
    expect(free.conclusion).toContain('《陕西省党政干部鼓励激励办法(试行)》第七条(一)');

    expect(await api.eventCount()).toBe(before);
  });

  it('prints the same as a Chinese A4 page in HTML, every clause quoted', async () => {
    const json = (await ask(request)).body as { candidates: Candidate[] };
    const res = await ask(request, 'text/html');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    // Self-contained: its inline style may apply, nothing may run, load, frame it or be sniffed.
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['content-security-policy']).not.toMatch(/script-src/);
    const html = res.text;
    await writeFile(join(testOutputDir('dossier'), 'dossier.html'), html);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('size: A4');
    expect(html).toContain(escapeHtml(request.purpose));
    expect(html).not.toMatch(/<script|https?:\/\//);
    for (const candidate of json.candidates) {
      expect(html).toContain(escapeHtml(candidate.conclusion));
      for (const clause of candidate.clauses) {
        expect(html).toContain(`<blockquote lang="zh">${escapeHtml(clause.text)}</blockquote>`);
        for (const fact of clause.facts) if (fact.documentRef) expect(html).toContain(escapeHtml(fact.documentRef));
      }
    }
  });

  it('renders a PDF (A4, CJK font embedded, header, page numbers) whose extracted text quotes every clause in Chinese', async () => {
    const json = (await ask(request)).body as { candidates: Candidate[] };
    const res = await api
      .http()
      .post('/v1/nominations/dossier')
      .auth(await api.token(['organization'], ['sx-fgw']), { type: 'bearer' })
      .set('Accept', 'application/pdf')
      .send(request)
      .buffer(true)
      .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    const pdf = res.body as Buffer;
    await writeFile(join(testOutputDir('dossier'), 'dossier.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // A4 in points, and an embedded (subset) font program: no font is left to the reader's machine.
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    expect(pdf.toString('latin1')).toMatch(/\/FontFile[23]? /);
    const { pages, info } = await pdfText(pdf);
    const text = squeezed(pages.join('\n'));
    expect(info).toMatchObject({ Title: '干部提名审查材料', Subject: request.purpose });
    for (const candidate of json.candidates) {
      expect(text).toContain(squeezed(candidate.conclusion));
      for (const clause of candidate.clauses) {
        expect(text).toContain(squeezed(clause.text));
        expect(text).toContain(squeezed(`《${clause.document}》${clause.article}`));
        for (const fact of clause.facts) if (fact.documentRef) expect(text).toContain(squeezed(fact.documentRef));
      }
    }
    pages.forEach((page, i) => {
      expect(squeezed(page)).toContain(squeezed(`第 ${i + 1} 页 共 ${pages.length} 页`));
      expect(squeezed(page)).toContain(squeezed(`干部提名审查材料 · ${request.purpose}`));
    });
  });

  const dossierReads = async (cadreId: string) =>
    ((await api.http().get(`/v1/audit/access?cadreId=${cadreId}`).auth(await api.token(['auditor']), { type: 'bearer' })).body.items as { what: string; via: string; actor: string }[]).filter((i) => i.what === 'dossier');

  it('records each candidate\'s read in the read audit, once per dossier, with the route', async () => {
    const count = dossierReads;
    const before = await count('d-free');
    expect((await ask({ ...request, cadreIds: ['d-free'] }, 'text/html', ['organization'], ['sx-fgw'])).status).toBe(200);
    const after = await count('d-free');
    expect(after.length).toBe(before.length + 1);
    expect(after[0]).toMatchObject({ actor: 'e2e-organization', via: 'POST /v1/nominations/dossier' });
  });

  it('names an unknown or out-of-scope candidate in a 404, refuses a bad body with 400 and a format it cannot give with 406, and audits nothing then', async () => {
    const audited = (await dossierReads('d-free')).length;
    const unknown = await ask({ ...request, cadreIds: ['d-free', 'nobody'] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toContain('nobody');
    const elsewhere = await ask(request, 'application/json', ['organization'], ['sx-other']);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.detail).toContain('d-locked');
    for (const bad of [{ ...request, cadreIds: [] }, { ...request, cadreIds: ['d-free', 'd-free'] }, { ...request, asOf: '2026-02-30' }, { cadreIds: ['d-free'] }, { ...request, extra: 1 }, { ...request, proposedPosition: { level: 'county-deputy' } }]) {
      const res = await ask(bad);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const png = await ask(request, 'image/png');
    expect(png.status).toBe(406);
    expect((await dossierReads('d-free')).length).toBe(audited);
  });

  it('is for admin, organization and the auditor (every unit); not for the dashboard, assessment or discipline roles', async () => {
    expect((await ask(request, 'application/json', ['auditor'], [])).status).toBe(200);
    expect((await ask(request, 'application/json', ['admin'], ['*'])).status).toBe(200);
    for (const roles of [['dashboard'], ['assessment'], ['discipline']]) expect((await ask(request, 'application/json', roles, ['*'])).status).toBe(403);
  });
});
