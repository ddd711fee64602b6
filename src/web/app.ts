import type { OpenAPIHono } from '@hono/zod-openapi';
import { createApiApp, type AppOptions } from '../api/app.ts';
import type { ApiContext } from '../api/context.ts';
import type { ApiEnv } from '../api/env.ts';
import { dashboardRoutes } from '../dashboards/routes.ts';
import { notebooksRoutes } from '../notebooks/routes.ts';
import { reportRoutes } from '../reports/routes.ts';

export type { AppOptions };

/**
 * The web shell: the API, with the dashboards, notebooks and month-end reports mounted beside it.
 * The only module that knows them all; none of them imports it.
 *
 * @example
 *   const app = createApp(await ApiContext.create(wh));
 *   const res = await app.request('/dashboards/cfo');
 */
export function createApp(api: ApiContext, opts: AppOptions = {}): OpenAPIHono<ApiEnv> {
  const app = createApiApp(api, opts);
  // Browsers ask every page's site for an icon; Cartera has none, and a 404 is a console error on each page.
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.route('/api/reports', reportRoutes);
  app.route('/notebooks', notebooksRoutes());
  app.route('/', dashboardRoutes);
  return app;
}
