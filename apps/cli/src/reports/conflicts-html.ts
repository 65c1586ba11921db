import type { ConflictItem } from '@cadre-ledger/projections';
import { escapeHtml } from '@cadre-ledger/platform';

export interface ConflictsReportContext {
  unitId?: string;
  from?: string;
  to?: string;
  generatedAt: string;
  /** False when the read models had not taken in every event. */
  complete: boolean;
  lang: 'zh' | 'en';
}

const escape = escapeHtml;

export const CONFLICTS_TEXT = {
  zh: {
    title: '选人用人检查:影响期内提拔情况',
    scope: (c: ConflictsReportContext) => `范围:${c.unitId ? `单位 ${c.unitId}` : '全部单位'};提拔日期 ${c.from ?? '不限'} 至 ${c.to ?? '不限'}`,
    generated: (at: string) => `生成时间:${at}(依截至该时刻的记录)`,
    incomplete: '注意:读模型尚未处理全部事件,本报告可能缺少最新的事实。',
    none: '没有影响期内的提拔。',
    summary: (n: number, people: number, later: number) => `共 ${n} 对(提拔、影响期),涉及 ${people} 名干部;其中 ${later} 对在提拔记录时尚未记录(事后发现)。`,
    columns: ['提拔日期', '干部', '单位', '影响期', '依据条款', '提拔时是否已记录'],
    known: '是',
    later: '否(事后发现)',
    recorded: (promotion: string, lock: string) => `提拔记录于 ${promotion};影响期所依据的事实记录于 ${lock}`,
    importedNote: '说明:导入的历史提拔,其“记录时间”为导入账本的时间,而非任职当时。',
  },
  en: {
    title: '选人用人 audit: promotions inside a lock',
    scope: (c: ConflictsReportContext) => `Scope: ${c.unitId ? `unit ${c.unitId}` : 'every unit'}; promotions effective ${c.from ?? 'any time'} to ${c.to ?? 'any time'}`,
    generated: (at: string) => `Generated ${at} (the records as they stood then)`,
    incomplete: 'Note: the read models had not taken in every event; this report may miss the newest facts.',
    none: 'No promotion inside a lock.',
    summary: (n: number, people: number, later: number) => `${n} (promotion, lock) pair(s), ${people} cadre(s); ${later} of them not in the records when the promotion was recorded (found later).`,
    columns: ['Promoted on', 'Cadre', 'Unit', 'Lock', 'Clause', 'Known at the promotion'],
    known: 'yes',
    later: 'no (found later)',
    recorded: (promotion: string, lock: string) => `promotion recorded ${promotion}; the fact behind the lock recorded ${lock}`,
    importedNote: 'For an imported historical promotion, "recorded" is when the ledger learnt of it, not the appointment.',
  },
} as const;

/**
 * The 选人用人 audit as a printable page (A4, page numbers in print): each pair with the lock's
 * clause quoted (document, article, text) and both recording instants. Self-contained: no script,
 * no font or style fetched from anywhere.
 */
export function conflictsReportHtml(items: readonly ConflictItem[], context: ConflictsReportContext): string {
  const text = CONFLICTS_TEXT[context.lang];
  const rows = items
    .map(
      (i) => `<tr>
  <td>${escape(i.promotedOn)}</td>
  <td>${escape(i.cadreId)}${i.name ? `<br>${escape(i.name)}` : ''}</td>
  <td>${escape(i.unitId)}</td>
  <td>${escape(i.lock.kind)}<br>${escape(i.lock.from)} – ${escape(i.lock.until ?? '…')}<br><span class="rule">${escape(i.lock.ruleId)}</span></td>
  <td><b>${escape(i.lock.citation.document)} ${escape(i.lock.citation.article)}</b><blockquote>${escape(i.lock.citation.text)}</blockquote></td>
  <td>${i.knownAtPromotion ? text.known : `<b>${text.later}</b>`}<br><span class="small">${escape(text.recorded(i.promotionRecordedAt, i.lockRecordedAt))}</span></td>
</tr>`,
    )
    .join('\n');
  const people = new Set(items.map((i) => i.cadreId)).size;
  const later = items.filter((i) => !i.knownAtPromotion).length;
  return `<!doctype html>
<html lang="${context.lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<title>${escape(text.title)}</title>
<style>
  @page { size: A4; margin: 18mm 14mm; @bottom-center { content: counter(page) " / " counter(pages); } }
  body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", "SimSun", serif; font-size: 10.5pt; color: #000; }
  h1 { font-size: 16pt; margin: 0 0 4mm; }
  p.meta { margin: 0 0 2mm; }
  table { width: 100%; border-collapse: collapse; margin-top: 4mm; }
  th, td { border: 0.4pt solid #444; padding: 1.5mm 2mm; vertical-align: top; text-align: left; }
  thead { display: table-header-group; }
  tr { page-break-inside: avoid; }
  blockquote { margin: 1mm 0 0; font-size: 9.5pt; }
  .rule, .small { font-size: 8.5pt; color: #333; }
  .warning { font-weight: bold; }
</style>
</head>
<body>
<h1>${escape(text.title)}</h1>
<p class="meta">${escape(text.scope(context))}</p>
<p class="meta">${escape(text.generated(context.generatedAt))}</p>
${context.complete ? '' : `<p class="meta warning">${escape(text.incomplete)}</p>`}
<p class="meta">${escape(items.length === 0 ? text.none : text.summary(items.length, people, later))}</p>
${
  items.length === 0
    ? ''
    : `<table>
<thead><tr>${text.columns.map((c) => `<th>${escape(c)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p class="small">${escape(text.importedNote)}</p>`
}
</body>
</html>
`;
}
