import PDFDocument from 'pdfkit';
import type { Dossier } from '@cadre-ledger/application';
import { candidateHeading, candidateLines, clauseHeading, DOSSIER_TITLE, effectLine, factLine, headerLine, metaLines, NO_CLAUSE, noteLines } from './dossier-view';
import type { PdfFont } from './pdf-font';

const MARGIN = { top: 64, bottom: 60, left: 56, right: 56 };

/**
 * The dossier as an A4 PDF with the CJK font embedded (subset), a running header with the purpose
 * and date, and "第 n 页 共 m 页" on every page. Deterministic for the same dossier and font: the
 * document's dates are the dossier's own.
 */
export function renderDossierPdf(dossier: Dossier, font: PdfFont): Promise<Buffer> {
  const created = new Date(dossier.generatedAt);
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: { Title: DOSSIER_TITLE, Subject: dossier.purpose ?? '提名审查', Author: dossier.generatedBy, Creator: 'cadre-ledger', CreationDate: created, ModDate: created },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font.data, font.family);
  doc.font('cjk');
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

  // The running header and the page numbers, once the page count is known.
  const range = doc.bufferedPageRange();
  const header = headerLine(dossier);
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing in the margin must not start a new page
    doc.fillColor('#444444').fontSize(9);
    doc.text(header, MARGIN.left, 30, { width, lineBreak: false, ellipsis: true });
    doc.moveTo(MARGIN.left, 46).lineTo(MARGIN.left + width, 46).lineWidth(0.5).strokeColor('#999999').stroke();
    doc.text(`第 ${i - range.start + 1} 页 共 ${range.count} 页`, MARGIN.left, doc.page.height - 40, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
