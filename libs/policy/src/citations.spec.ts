import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readRuleBook, shippedRuleSetsDir } from '@cadre-ledger/platform/rule-book';
import { documentsSchema } from './schema';
import { articleSpan, checkQuote, documentPart } from './testing/citations';

/**
 * Every rule that cites a held document (its text is in docs/sources/) quotes it verbatim, found in
 * that document and inside the cited article, starting and ending on a clause boundary, and is
 * marked `verbatim` (RULEBOOK.md, "Terms used below"). A quote that drops the first words of
 * its clause ("因不适宜担任现职") fails here.
 */
const SOURCES = join(__dirname, '..', '..', '..', 'docs', 'sources');
const registry = documentsSchema.parse(parse(readFileSync(join(shippedRuleSetsDir(), 'documents.yaml'), 'utf8'))).documents;
const held = registry.filter((d) => d.file);
const textOf = (title: string): string => {
  const document = held.find((d) => d.title === title)!;
  return documentPart(readFileSync(join(SOURCES, document.file!), 'utf8'), document.startsAt, document.endsBefore);
};
const rules = readRuleBook()
  .allVersions()
  .flatMap((v) => v.rules)
  .filter((r) => held.some((d) => d.title === r.citation.document));

describe('quotes of held documents', () => {
  it('covers the documents held: every one of them is quoted by some rule', () => {
    expect(held.filter((d) => !rules.some((r) => r.citation.document === d.title)).map((d) => d.title)).toEqual([]);
  });

  it.each(rules.map((r) => ({ label: `${r.id} (${r.citation.article}, from ${r.effectiveFrom})`, rule: r })))('$label is verbatim, found, and on clause boundaries', ({ rule }) => {
    expect(rule.sourceQuality).toBe('verbatim');
    const text = textOf(rule.citation.document);
    // Inside the cited article where the citation names one (第十六条, 措施11), else the document.
    const article = articleSpan(text, rule.citation.article);
    const check = checkQuote(article ? text.slice(article.from, article.to) : text, rule.citation.text);
    expect({ quote: rule.citation.text, ...check }).toMatchObject({ quote: rule.citation.text, ok: true });
  });
});

describe('checkQuote', () => {
  const nsx16 = textOf('陕西省推进省管党政领导干部能上能下办法(试行)');

  it('refuses a quote that drops the first words of its clause', () => {
    expect(checkQuote(nsx16, '调离岗位、改任非领导职务、免职的,一年内不得提拔')).toMatchObject({ ok: false });
    expect(checkQuote(nsx16, '因不适宜担任现职调离岗位、改任非领导职务、免职的,一年内不得提拔')).toMatchObject({ ok: true });
  });

  it('refuses a quote that starts after a comma, and accepts the same clause from its start or with an omission', () => {
    expect(checkQuote(nsx16, '在征求上一级组织人事部门意见后,可以按有关规定程序提拔任职')).toMatchObject({ ok: false });
    expect(checkQuote(nsx16, '影响期满后,……在征求上一级组织人事部门意见后,可以按有关规定程序提拔任职。')).toMatchObject({ ok: true });
  });

  it('refuses a quote that ends inside a clause, a paraphrase and words that are not there', () => {
    expect(checkQuote(nsx16, '降职的,两年内不得')).toMatchObject({ ok: false });
    expect(checkQuote(nsx16, '[paraphrase] 降职两年')).toMatchObject({ ok: false });
    expect(checkQuote(nsx16, '降职的,三年内不得提拔')).toMatchObject({ ok: false, problem: 'not found in the source text' });
  });

  it('finds the article a quote lies in', () => {
    const span = articleSpan(nsx16, '第十六条');
    expect(span).not.toBeNull();
    expect(nsx16.slice(span!.from, span!.to)).toContain('降职的,两年内不得提拔');
    expect(nsx16.slice(span!.from, span!.to)).not.toContain('第十七条\u00a0各市');
  });
});
