import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface PdfContent {
  /** The text of each page. */
  pages: string[];
  /** The document information dictionary (Title, Author, …). */
  info: Record<string, unknown>;
}

/** What a reader extracts from a PDF (pdf.js, in a child process: it is an ES module). */
export function pdfText(pdf: Buffer): Promise<PdfContent> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'pdf-text.mjs')], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(Buffer.concat(out).toString('utf8')) as PdfContent) : reject(new Error(`pdf.js could not read the PDF (exit ${code}): ${Buffer.concat(err).toString()}`))));
    child.stdin.end(pdf);
  });
}

/** Text without any white space: a clause wrapped across lines is still found. */
export const squeezed = (text: string): string => text.replace(/\s+/g, '');
