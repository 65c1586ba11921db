import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Router } from 'express';
import { ADJUSTMENT_PROCEDURE, TOLERANCE_PROCEDURE, lockKindLabels, waitingLabels, ZH, type Procedure } from '@cadre-ledger/domain';
import { PAGE_POLICY, securityHeaders } from '../common/security-headers';

/** The page's own files: beside this module in the sources, copied beside the compiled module by `npm run build`. */
export const DASHBOARD_DIR = join(__dirname, 'public');

/** ECharts from the package's own dist: served by this server, never from a CDN. */
const ECHARTS = require.resolve('echarts/dist/echarts.min.js');

/**
 * `/dashboard`: the static page (no data in it; it asks the API with the token the user gives).
 * Open without a token, like `/docs`: every figure it shows comes from an authorised API call.
 */
export function dashboardRouter(): Router {
  if (!existsSync(join(DASHBOARD_DIR, 'index.html'))) throw new Error(`the dashboard's files are missing from ${DASHBOARD_DIR}`);
  const router = express.Router();
  // What the page may load: only this server (no CDN, no inline script). ECharts sets element styles.
  router.use(securityHeaders(PAGE_POLICY));
  const labels = dashboardLabels();
  router.get('/labels.js', (_req, res) => res.type('application/javascript').send(labels));
  router.get('/vendor/echarts.min.js', (_req, res) => res.type('application/javascript').sendFile(ECHARTS, { maxAge: '1d' }));
  // `/dashboard` and `/dashboard/` alike: the page names its files by absolute paths.
  router.get('/', (_req, res) => res.sendFile(join(DASHBOARD_DIR, 'index.html')));
  router.use(express.static(DASHBOARD_DIR, { index: false, maxAge: 0, redirect: false }));
  return router;
}

/**
 * `/dashboard/labels.js`: the Chinese names the page shows, from the same tables as the dossier and
 * the spreadsheets, and what an open case waits for at each step of each procedure, from the
 * procedure's own description (`procedures`: by case kind).
 */
export function dashboardLabels(procedures: readonly Procedure[] = [TOLERANCE_PROCEDURE, ADJUSTMENT_PROCEDURE]): string {
  const steps = Object.fromEntries(procedures.map((p) => [p.kind, waitingLabels(p)]));
  return `'use strict';\nwindow.LEDGER_LABELS = ${JSON.stringify({ eventType: ZH.eventType, lockKind: lockKindLabels(), positionLevel: ZH.positionLevel, steps })};\n`;
}
