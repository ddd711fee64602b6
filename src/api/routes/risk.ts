import { createRoute, z } from '@hono/zod-openapi';
import { READERS, requireRole } from '../auth.ts';
import { cachedGet } from '../caching.ts';
import { notFound } from '../problem.ts';
import { jsonResponses, keyed } from '../responses.ts';
import { newRoutes } from '../router.ts';

/** `/api/risk/model`: the active delinquency model, for review. */
export const riskRoutes = newRoutes();
riskRoutes.use('*', requireRole(...READERS.analysts), cachedGet);

riskRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/model',
    tags: ['risk'],
    summary: 'The newest risk model: version, training window, parameters, metrics, feature importance',
    security: keyed,
    responses: jsonResponses('The newest risk_models row, without the serialized model', z.record(z.string(), z.unknown())),
  }),
  async (c) => {
    if (!(await c.var.reads.publication()).relations.has('risk_models')) throw notFound('no risk model yet: run cartera score');
    // The artefact is the whole serialized forest: large, and of no use to a reader.
    const r = await c.var.reads.result(`select columns(c -> c <> 'artefact') from risk_models order by trained_at desc limit 1`);
    const row = r.getRowObjectsJson()[0];
    if (!row) throw notFound('no risk model yet: run cartera score');
    const types = r.columnTypes();
    const out = Object.fromEntries(
      r.columnNames().map((name, i) => {
        const v = row[name];
        return [name, types[i].alias === 'JSON' && typeof v === 'string' ? JSON.parse(v) : v];
      }),
    );
    return c.json(out, 200);
  },
);
