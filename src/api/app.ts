import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { debugging, InputError } from '../db/errors.ts';
import { accessLog, type AccessEntry } from './access-log.ts';
import { authenticate, READERS } from './auth.ts';
import type { ApiContext } from './context.ts';
import { renderDocsPage } from './docs-page.ts';
import { PLAIN_PAGE_CSP, securityHeaders } from './security-headers.ts';
import { RequestReads } from './request-reads.ts';
import { SESSION_COOKIE } from './session-cookie.ts';
import type { ApiEnv } from './env.ts';
import { ApiError, problem } from './problem.ts';
import { activityRoutes } from './routes/activities.ts';
import { adminRoutes } from './routes/admin.ts';
import { agingRoutes } from './routes/aging.ts';
import { callListRoutes } from './routes/call-list.ts';
import { catalogRoutes } from './routes/catalog.ts';
import { collectorNumberRoutes } from './routes/collector-numbers.ts';
import { customerRoutes } from './routes/customers.ts';
import { disputeRoutes } from './routes/disputes.ts';
import { healthRoutes } from './routes/health.ts';
import { invoiceRoutes } from './routes/invoices.ts';
import { kpiRoutes } from './routes/kpis.ts';
import { martTableRoutes } from './routes/mart-table.ts';
import { promiseRoutes } from './routes/promises.ts';
import { reminderRoutes } from './routes/reminders.ts';
import { riskRoutes } from './routes/risk.ts';
import { segmentRoutes } from './routes/segments.ts';
import { sessionRoutes } from './routes/session.ts';
import { sqlRoutes } from './routes/sql.ts';
import { statementRoutes } from './routes/statements.ts';

export interface AppOptions {
  /** Receives one structured entry per request (the server writes them to stdout as JSON lines). */
  log?: (entry: AccessEntry) => void;
}

/**
 * The API: context, a snapshot per request, auth and one sub-app per resource, with the error
 * answers of the whole site. The web shell (`src/web/app.ts`) mounts the dashboards and notebooks
 * on it; their handlers get `c.var.api`, `c.var.reads` and `c.var.principal`, and guard
 * themselves with `requireRole`.
 */
export function createApiApp(api: ApiContext, opts: AppOptions = {}): OpenAPIHono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>();
  if (opts.log) app.use('*', accessLog(opts.log));
  app.use('*', securityHeaders(api.frameAncestors));
  app.use('*', async (c, next) => {
    c.set('api', api);
    // Every read of a request sees one publication; the snapshot ends with the request.
    const reads = new RequestReads(api);
    c.set('reads', reads);
    try {
      await next();
    } finally {
      await reads.close();
    }
  });
  app.use('*', authenticate);

  app.route('/api/health', healthRoutes);
  app.route('/api', sessionRoutes);
  app.route('/api/kpis', kpiRoutes);
  app.route('/api/aging', agingRoutes);
  app.route('/api/customers', statementRoutes);
  app.route('/api/customers', customerRoutes);
  app.route('/api/invoices', invoiceRoutes);
  app.route('/api/call-list', callListRoutes);
  app.route('/api/collector-numbers', collectorNumberRoutes);
  app.route('/api/activities', activityRoutes);
  app.route('/api/promises', promiseRoutes);
  app.route('/api/disputes', disputeRoutes);
  app.route('/api/reminders', reminderRoutes);
  app.route('/api/segments', segmentRoutes);
  app.route('/api/recovery', martTableRoutes('agg_recovery', 'Recovery curves by invoice cohort (agg_recovery)', READERS.finance));
  app.route('/api/roll-rates', martTableRoutes('agg_roll_rates', 'Roll rates between aging buckets (agg_roll_rates)', READERS.finance));
  app.route('/api/forecast', martTableRoutes('agg_cash_forecast', 'Cash collection forecast (agg_cash_forecast)', READERS.finance));
  app.route('/api/provision', martTableRoutes('agg_provision_matrix', 'Provision for doubtful accounts by month end, segment and bucket (agg_provision_matrix)', READERS.finance));
  app.route('/api/risk', riskRoutes);
  app.route('/api/catalog', catalogRoutes);
  app.route('/api/sql', sqlRoutes);
  app.route('/api/admin', adminRoutes);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'an API key from cartera token create' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'cookie', { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'the session POST /api/login starts' });
  const info = {
    title: 'Cartera API',
    version: '0.1.0',
    description: 'Accounts-receivable KPIs, aging, customers, invoices, call lists and sandboxed SQL over the Cartera warehouse.',
  };
  app.doc31('/openapi.json', { openapi: '3.1.0', info });
  let docs: string | undefined;
  app.get('/docs', (c) => {
    docs ??= renderDocsPage(app.getOpenAPI31Document({ openapi: '3.1.0', info }));
    // The page is self-contained: nothing to load, nothing to run.
    return c.html(docs, 200, { 'Content-Security-Policy': PLAIN_PAGE_CSP });
  });

  app.notFound((c) => problem(c, 404, `no endpoint ${c.req.method} ${c.req.path}; see /docs`));
  app.onError((err, c) => {
    if (err instanceof ApiError) return problem(c, err.status, err.said, err.title, err.headers);
    if (err instanceof InputError) return problem(c, 400, err.message);
    if (err instanceof HTTPException) return problem(c, err.status as 400, err.message || 'request refused');
    // Missing marts are the usual cause before the first build: say so plainly.
    const m = /Table with name (\w+) does not exist|Table Function with name (\w+) does not exist/.exec(err.message);
    if (m) return problem(c, 503, { en: `the warehouse has no ${m[1] ?? m[2]} yet: run cartera build (and cartera score)`, es: `el almacén aún no tiene ${m[1] ?? m[2]}: ejecute cartera build (y cartera score)` });
    process.stderr.write(`api: ${c.req.method} ${c.req.path}: ${debugging() ? (err.stack ?? err.message) : `${err.message} (CARTERA_DEBUG=1 logs where)`}\n`);
    return problem(c, 500, { en: 'the server failed to answer; the error is in its log', es: 'el servidor no pudo responder; el error está en su registro' });
  });
  return app;
}
