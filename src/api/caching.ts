import type { MiddlewareHandler } from 'hono';
import type { ApiEnv } from './env.ts';

/** FNV-1a, 32-bit: a short stable digest for ETags (not a security boundary). */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/**
 * ETag and response cache for GET endpoints that read marts. Marts change only when a build (or
 * score, ingest) commits, so a response is valid for the data tag it was made under: If-None-Match
 * answers 304 without a query, and a repeated request is replayed from memory. The key includes
 * the collector a key is limited to, since scoped keys see different rows.
 */
export const cachedGet: MiddlewareHandler<ApiEnv> = async (c, next) => {
  if (c.req.method !== 'GET') return next();
  const api = c.var.api;
  const scope = c.var.principal?.collector ?? '*';
  const url = new URL(c.req.url);
  const key = `${api.tag}|${scope}|${url.pathname}${url.search}`;
  const etag = `"${api.tag}-${fnv1a(key)}"`;
  const cacheHeaders = { ETag: etag, 'Cache-Control': 'private, no-cache' };
  const match = c.req.header('if-none-match');
  if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
    return c.body(null, 304, cacheHeaders);
  }
  const hit = api.cache.get(key);
  if (hit) return new Response(hit.body, { status: 200, headers: hit.headers });
  await next();
  if (c.res.status !== 200) return;
  for (const [k, v] of Object.entries(cacheHeaders)) c.res.headers.set(k, v);
  const body = await c.res.clone().arrayBuffer();
  api.cache.set(key, { body, headers: [...c.res.headers.entries()] });
};
