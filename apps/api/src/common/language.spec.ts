import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MESSAGES_ZH } from '@cadre-ledger/domain';
import { languageOf, localized } from './language';

const ROOT = resolve(__dirname, '../../../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'testing') return [];
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(name) ? [path] : [];
  });
}

/** Every problem code the ledger raises: a DomainError's first argument, a ProblemException's or a problem's second. */
function raisedCodes(): Set<string> {
  const codes = new Set<string>();
  for (const file of [...sources(join(ROOT, 'libs')), ...sources(join(ROOT, 'apps'))]) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/new DomainError\(\s*'([a-z0-9-]+)'/g)) codes.add(m[1]);
    for (const m of text.matchAll(/new ProblemException\(\s*\d+,\s*'([a-z0-9-]+)'/g)) codes.add(m[1]);
    for (const m of text.matchAll(/\bmake\(\s*(?:\d+|status),\s*'([a-z0-9-]+)'/g)) codes.add(m[1]);
    for (const m of text.matchAll(/\{ status: \d+, code: '([a-z0-9-]+)'/g)) codes.add(m[1]);
  }
  return codes;
}

describe('the language of an answer', () => {
  it.each([
    [undefined, 'en'],
    ['zh', 'zh'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh'],
    ['en-US,en;q=0.9,zh-CN;q=0.8', 'en'],
    ['fr, zh-Hans;q=0.5', 'zh'],
    ['zh;q=0, en', 'en'],
    ['de', 'en'],
  ])('Accept-Language %s → %s', (header, language) => {
    expect(languageOf(header)).toBe(language);
  });

  it('has a Chinese sentence for every code the ledger raises', () => {
    const codes = raisedCodes();
    expect(codes.size).toBeGreaterThan(90);
    expect([...codes].filter((code) => MESSAGES_ZH[code] === undefined)).toEqual([]);
  });

  it('translates title, detail and field messages, and keeps the code and every other member', () => {
    const problem = { type: 'urn:cadre-ledger:problem:excellence-quota-exceeded', title: 'Conflict', status: 409, detail: 'unit u has 2 excellent grades…', code: 'excellence-quota-exceeded', year: 2023, limit: 2, used: 2 };
    expect(localized(problem, 'zh')).toEqual({ ...problem, title: '与现有记录冲突', detail: '本单位2023年度优秀等次已达比例上限(最多 2 名,已有 2 名);确需超出的,请填写批准文号(quotaOverrideRef)' });
    const validation = { type: 'urn:cadre-ledger:problem:validation-failed', title: 'Bad Request', status: 400, detail: '1 field(s) failed validation: grade', errors: [{ field: 'grade', message: 'grade must be one of the following values: excellent, competent' }] };
    expect(localized(validation, 'zh')).toMatchObject({ title: '请求有误', detail: '请求中有字段不符合要求:grade', errors: [{ field: 'grade', message: 'grade 须为以下之一:excellent, competent' }] });
    expect(localized(problem, 'en')).toBe(problem);
  });
});
