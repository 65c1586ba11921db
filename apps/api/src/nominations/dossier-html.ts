import type { Dossier } from '@cadre-ledger/application';
import { escapeHtml } from '@cadre-ledger/platform';
import { candidateHeading, candidateLines, clauseHeading, DOSSIER_TITLE, effectLine, factLine, headerLine, metaLines, NO_CLAUSE, noteLines } from './dossier-view';

const escape = escapeHtml;

/** The dossier as a printable Chinese page (A4); self-contained: no script, no external resource. */
export function renderDossierHtml(dossier: Dossier): string {
  const candidates = dossier.candidates
    .map((c, i) => {
      const clauses = c.clauses.length === 0
        ? `<p class="none">${escape(NO_CLAUSE)}</p>`
        : c.clauses
            .map(
              (clause) => `
      <li class="clause">
        <h4>${escape(clauseHeading(clause))}</h4>
        <blockquote lang="zh">${escape(clause.text)}</blockquote>
        <ul class="effects">${clause.effects.map((e) => `<li>${escape(effectLine(e))}</li>`).join('')}</ul>
        <ul class="facts">${clause.facts.map((f) => `<li>${escape(factLine(f))}</li>`).join('')}</ul>
      </li>`,
            )
            .join('');
      return `
  <section class="candidate ${c.promotable ? 'promotable' : 'locked'}" id="${escape(c.cadreId)}">
    <h2>${escape(candidateHeading(c, i))}</h2>
    ${candidateLines(c).map((line) => `<p class="meta">${escape(line)}</p>`).join('')}
    <p class="conclusion">${escape(c.conclusion)}</p>
    <h3>适用条款</h3>
    ${c.clauses.length === 0 ? clauses : `<ol class="clauses">${clauses}</ol>`}
    ${noteLines(c).map((line) => `<p class="note">${escape(line)}</p>`).join('')}
  </section>`;
    })
    .join('');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${escape(DOSSIER_TITLE)}</title>
<style>
  @page { size: A4; margin: 20mm 18mm; }
  body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", serif; font-size: 11pt; line-height: 1.6; color: #111; max-width: 180mm; margin: 0 auto; }
  header.running { font-size: 9pt; color: #444; border-bottom: 1px solid #999; padding-bottom: 2mm; margin-bottom: 6mm; }
  h1 { text-align: center; font-size: 18pt; margin: 4mm 0; }
  .candidate { break-inside: avoid-page; border-top: 1px solid #999; padding-top: 3mm; margin-top: 6mm; }
  .candidate h2 { font-size: 14pt; margin: 0 0 2mm; }
  .conclusion { font-weight: bold; }
  .locked .conclusion { color: #8b0000; }
  .promotable .conclusion { color: #004d00; }
  blockquote { margin: 1mm 0 1mm 6mm; padding-left: 3mm; border-left: 2px solid #999; }
  h3 { font-size: 12pt; margin: 3mm 0 1mm; }
  h4 { font-size: 11pt; margin: 2mm 0 0; }
  .meta, .note { margin: 0; }
  .note { color: #444; font-size: 10pt; }
  ul.effects, ul.facts { margin: 0; padding-left: 10mm; font-size: 10pt; }
</style>
</head>
<body>
<header class="running">${escape(headerLine(dossier))}</header>
<h1>${escape(DOSSIER_TITLE)}</h1>
${metaLines(dossier).map((line) => `<p class="meta">${escape(line)}</p>`).join('\n')}
${candidates}
</body>
</html>
`;
}
