import type { NextFunction, Request, Response } from 'express';

/** Every answer: nothing to run, embed, frame or submit (JSON, problems, PDFs). */
export const STRICT_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** A page of this server's own (the dashboard, the OpenAPI UI): only this server, no inline script. The UIs set element styles. */
export const PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** A self-contained printable document (the dossier's HTML): its own inline style, nothing else. */
export const DOCUMENT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Express middleware, first of all: every answer carries `X-Content-Type-Options: nosniff` and a
 * Content-Security-Policy (the strict one unless `policy` says otherwise), so that no HTML or PDF the
 * ledger serves, nor a JSON answer opened in a browser, runs what it was not meant to.
 */
export function securityHeaders(policy: string = STRICT_POLICY) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    res.setHeader('Content-Security-Policy', policy);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  };
}
