import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { InputError } from '../../db/errors.ts';
import { ingestFiles } from '../../ingest/ingest.ts';
import { runRefresh } from '../../pipeline/index.ts';
import { READERS, requireRole } from '../auth.ts';
import { isoDate } from '../params.ts';
import { ApiError, badRequest, notFound } from '../problem.ts';
import { ROLES } from '../roles.ts';
import { errorResponses, keyed } from '../responses.ts';
import { newRoutes } from '../router.ts';
import { createToken, listTokens, revokeToken } from '../tokens.ts';

/** `/api/admin`: loading exports, rebuilding, and keys. Admin keys only. */
export const adminRoutes = newRoutes();
adminRoutes.use('*', requireRole(...READERS.admins));

const uploadLimitMb = Number(process.env.CARTERA_UPLOAD_MAX_MB ?? 200);

const json = (description: string, schema: z.ZodType) => ({
  200: { description, content: { 'application/json': { schema } } },
  ...errorResponses,
  409: { description: 'Another write is running' },
});

const anyObject = z.record(z.string(), z.unknown());

adminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/ingest',
    tags: ['admin'],
    summary: "Uploads one export (multipart field 'file') and loads it into the raw tables",
    security: keyed,
    middleware: [bodyLimit({ maxSize: uploadLimitMb * 1024 * 1024, onError: (c) => { throw new ApiError(413, 'Payload too large', `uploads are limited to ${uploadLimitMb} MB (CARTERA_UPLOAD_MAX_MB)`); } })],
    request: {
      body: {
        required: true,
        content: { 'multipart/form-data': { schema: z.object({ file: z.any().openapi({ type: 'string', format: 'binary' }) }) } },
      },
    },
    responses: json('What was loaded, skipped and rejected', anyObject),
  }),
  async (c) => {
    const api = c.var.api;
    const body = await c.req.parseBody();
    const file = body.file;
    if (!(file instanceof File)) throw badRequest("body field 'file': send the export as multipart/form-data field 'file'");
    const name = basename(file.name || 'upload').replace(/[^\w.\-]+/g, '_').slice(-120);
    if (!/\.(csv|tsv|txt|xlsx|json|ndjson|jsonl|parquet)$/i.test(name)) {
      throw badRequest(`body field 'file': '${name}' is not a supported export (csv, tsv, txt, xlsx, json, ndjson, parquet)`);
    }
    // A folder per upload keeps the original file name (ingest detects entities from it) without collisions.
    const dir = join(api.uploadDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}`);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, name);
    writeFileSync(path, new Uint8Array(await file.arrayBuffer()));
    const report = await api.write(() => ingestFiles(api.wh, [path], { strict: false, dbPath: api.wh.path })).catch((err: unknown) => {
      // The message the CLI prints, naming the upload as sent rather than where the server saved it.
      if (err instanceof InputError) throw badRequest(err.message.replaceAll(path, name));
      throw err;
    });
    return c.json({ file: name, ...report }, 200);
  },
);

adminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/refresh',
    tags: ['admin'],
    summary: 'Ingests what is new in the export folder, builds, scores, remakes the call list and publishes all of it at once',
    security: keyed,
    request: {
      body: {
        required: false,
        content: {
          'application/json': {
            schema: z.object({
              as_of: isoDate.optional(),
              buckets: z.array(z.number().int().positive()).min(1).max(12).optional(),
              basis: z.enum(['due', 'invoice']).optional(),
              currency: z.string().regex(/^[A-Za-z]{3}$/).optional(),
              late_days: z.number().int().min(0).max(3650).optional(),
              retrain: z.boolean().optional(),
            }),
          },
        },
      },
    },
    responses: json('The new build, what ingest loaded and what scoring did', anyObject),
  }),
  async (c) => {
    const api = c.var.api;
    const opts = c.req.header('content-type')?.includes('application/json') ? c.req.valid('json') : {};
    const out = await api.write(async () => {
      const r = await runRefresh(api.wh, {
        inbox: api.exportDir ? [api.exportDir] : undefined,
        changes: { asOf: opts.as_of, buckets: opts.buckets, basis: opts.basis, currency: opts.currency?.toUpperCase(), lateDays: opts.late_days },
        retrain: opts.retrain,
        trigger: 'api',
        dbPath: api.wh.path,
      });
      return {
        export_dir: api.exportDir,
        publication: r.buildId,
        ingest: r.ingest && { loaded: r.ingest.loaded.map((l) => ({ file: l.file, entity: l.entity, batch_id: l.batchId, rows: l.rows, rejected: l.rejected })), skipped: r.ingest.skipped },
        build: r.build && { build_id: r.build.buildId, options: r.build.options, seconds: r.build.seconds },
        score: r.score && { as_of: r.score.asOf, model_version: r.score.modelVersion, trained: r.score.trained, scored: r.score.scored, bands: r.score.bands },
        call_list: { customers: r.score?.callListRows ?? 0 },
        seconds: r.seconds,
      };
    });
    return c.json(out, 200);
  },
);

const TokenRow = z.object({
  token_id: z.string(),
  name: z.string(),
  role: z.string(),
  collector: z.string().nullable(),
  created: z.string(),
  revoked_at: z.string().nullable(),
});

adminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/tokens',
    tags: ['admin'],
    summary: 'Lists keys (never the keys themselves)',
    security: keyed,
    responses: json('Every key, newest first', z.object({ data: z.array(TokenRow) })),
  }),
  async (c) => c.json({ data: await listTokens(c.var.api.wh) }, 200),
);

adminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/tokens',
    tags: ['admin'],
    summary: 'Creates a key; the answer is the only time it is shown',
    security: keyed,
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.object({ role: z.enum(ROLES), name: z.string().min(1).max(200), collector: z.string().min(1).max(200).optional() }),
          },
        },
      },
    },
    responses: json('The new key', z.object({ token_id: z.string(), key: z.string() })),
  }),
  async (c) => {
    const api = c.var.api;
    const t = c.req.valid('json');
    const { tokenId, key } = await api.write(() => createToken(api.wh, t), { changesData: false });
    await api.keys.load(api.wh);
    return c.json({ token_id: tokenId, key }, 200);
  },
);

adminRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/tokens/{id}',
    tags: ['admin'],
    summary: 'Revokes a key at once',
    security: keyed,
    request: { params: z.object({ id: z.string().min(1).max(100) }) },
    responses: json('Revoked', z.object({ token_id: z.string(), revoked: z.literal(true) })),
  }),
  async (c) => {
    const api = c.var.api;
    const { id } = c.req.valid('param');
    if (!(await api.write(() => revokeToken(api.wh, id), { changesData: false }))) throw notFound(`no live key with id '${id}'`);
    await api.keys.load(api.wh);
    return c.json({ token_id: id, revoked: true as const }, 200);
  },
);
