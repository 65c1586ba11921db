import type { Dossier } from '@cadre-ledger/application';
import { candidateHeading, candidateLines, clauseHeading, DOSSIER_TITLE, effectLine, factLine, headerLine, metaLines, NO_CLAUSE, noteLines } from './dossier-view';
import { finishPdf, PDF_MARGIN as MARGIN, startPdf, type PdfFont } from '@cadre-ledger/platform';

/**
 * The dossier as an A4 PDF with the CJK font embedded (subset), a running header with the purpose
 * and date, and "第 n 页 共 m 页" on every page. Deterministic for the same dossier and font: the
 * document's dates are the dossier's own.
 */
export function renderDossierPdf(dossier: Dossier, font: PdfFont): Promise<Buffer> {
  const { doc, done } = startPdf(font, { title: DOSSIER_TITLE, subject: dossier.purpose ?? '提名审查', author: dossier.generatedBy, created: new Date(dossier.generatedAt) });
  const width = doc.page.width - MARGIN.left - MARGIN.right;
  const text = (line: string, size: number, options: PDFKit.Mixins.TextOptions = {}) => doc.fontSize(size).text(line, { width, ...options });

  text(DOSSIER_TITLE, 18, { align: 'center' });
  doc.moveDown(0.6);
  for (const line of metaLines(dossier)) text(line, 10.5);
  dossier.candidates.forEach((candidate, index) => {
    doc.moveDown(1);
    if (doc.y > doc.page.height - MARGIN.bottom - 120) doc.addPage();
    doc.moveTo(MARGIN.left, doc.y).lineTo(MARGIN.left + width, doc.y).lineWidth(0.5).strokeColor('#999999').stroke();
    doc.moveDown(0.4);
    doc.fillColor('#000000');
    text(candidateHeading(candidate, index), 14);
    for (const line of candidateLines(candidate)) text(line, 10.5);
    doc.fillColor(candidate.promotable ? '#004d00' : '#8b0000');
    text(candidate.conclusion, 11.5);
    doc.fillColor('#000000');
    doc.moveDown(0.4);
    text('适用条款', 12);
    if (candidate.clauses.length === 0) text(NO_CLAUSE, 10.5);
    candidate.clauses.forEach((clause, n) => {
      doc.moveDown(0.3);
      text(`(${n + 1}) ${clauseHeading(clause)}`, 11);
      doc.fillColor('#222222');
      const indented = (line: string, size: number) => doc.fontSize(size).text(line, MARGIN.left + 18, doc.y, { width: width - 18 });
      indented(`“${clause.text}”`, 10.5);
      doc.fillColor('#000000');
      for (const effect of clause.effects) indented(effectLine(effect), 9.5);
      for (const fact of clause.facts) indented(factLine(fact), 9.5);
      doc.x = MARGIN.left;
    });
    const notes = noteLines(candidate);
    if (notes.length > 0) doc.moveDown(0.3);
    doc.fillColor('#444444');
    for (const line of notes) text(line, 9.5);
    doc.fillColor('#000000');
  });

  finishPdf(doc, headerLine(dossier));
  return done;
}
