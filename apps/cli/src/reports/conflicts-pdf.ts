import type { ConflictItem } from '@cadre-ledger/projections';
import { finishPdf, startPdf, type PdfFont } from '@cadre-ledger/platform';
import { CONFLICTS_TEXT, type ConflictsReportContext } from './conflicts-html';

/**
 * The 选人用人 audit as a PDF (A4, the CJK font embedded, a running header with its scope,
 * "第 n 页 共 m 页"): the same words as the HTML report, each pair with its lock's clause quoted.
 */
export function conflictsReportPdf(items: readonly ConflictItem[], context: ConflictsReportContext, font: PdfFont): Promise<Buffer> {
  const text = CONFLICTS_TEXT[context.lang];
  const { doc, done } = startPdf(font, { title: text.title, subject: text.scope(context), author: 'cadre-ledger', created: new Date(context.generatedAt) });
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const line = (value: string, size: number, indent = 0) => doc.fontSize(size).text(value, left + indent, doc.y, { width: width - indent });
  line(text.title, 16);
  doc.moveDown(0.4);
  line(text.scope(context), 10.5);
  line(text.generated(context.generatedAt), 10.5);
  if (!context.complete) line(text.incomplete, 10.5);
  const people = new Set(items.map((i) => i.cadreId)).size;
  line(items.length === 0 ? text.none : text.summary(items.length, people, items.filter((i) => !i.knownAtPromotion).length), 10.5);
  const [promoted, cadre, unit, lock, clause, known] = text.columns;
  items.forEach((i, n) => {
    doc.moveDown(0.6);
    if (doc.y > doc.page.height - doc.page.margins.bottom - 110) doc.addPage();
    line(`${n + 1}. ${promoted}:${i.promotedOn}  ${cadre}:${i.cadreId}${i.name ? ` ${i.name}` : ''}  ${unit}:${i.unitId}`, 11);
    line(`${lock}:${i.lock.kind},${i.lock.from} – ${i.lock.until ?? '…'}(${i.lock.ruleId})`, 10, 14);
    line(`${clause}:${i.lock.citation.document} ${i.lock.citation.article}`, 10, 14);
    line(`“${i.lock.citation.text}”`, 10, 28);
    line(`${known}:${i.knownAtPromotion ? text.known : text.later};${text.recorded(i.promotionRecordedAt, i.lockRecordedAt)}`, 9, 14);
  });
  if (items.length > 0) {
    doc.moveDown(0.6);
    line(text.importedNote, 9);
  }
  finishPdf(doc, `${text.title} · ${text.scope(context)}`);
  return done;
}
