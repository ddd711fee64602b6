import type { MiddlewareHandler } from 'hono';
import type { ApiEnv } from './env.ts';
import type { CachedResponse } from './response-cache.ts';
import { requestLocale } from './request-locale.ts';

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
 * ETag and response cache for GET endpoints that read marts. Marts change only when a publication
 * commits, so a response is valid for the publication it was read from: If-None-Match
 * answers 304 without a query, and a repeated request is replayed from memory. The key includes
 * the collector a key is limited to, since scoped keys see different rows, and the locale asked for
 * (`?locale=` or Accept-Language), since a CSV's separators and a message's words follow it. Identical requests
 * arriving while one is computed wait for it instead of running the same query again.
 */
export const cachedGet: MiddlewareHandler<ApiEnv> = async (c, next) => {
  if (c.req.method !== 'GET') return next();
  const api = c.var.api;
  const scope = c.var.principal?.collector ?? '*';
  const url = c.req.url;
  // Path and query only: the same resource under another host name is the same resource.
  const tag = api.tag;
  const key = `${tag}|${scope}|${requestLocale(c) ?? ''}|${url.slice(url.indexOf('/', url.indexOf('//') + 2))}`;
  const etag = `"${tag}-${fnv1a(key)}"`;
  const cacheHeaders = { ETag: etag, 'Cache-Control': 'private, no-cache', Vary: 'Accept-Language' };
  const match = c.req.header('if-none-match');
  if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
    return c.body(null, 304, cacheHeaders);
  }
  const hit = api.cache.get(key) ?? (await api.cache.pending(key));
  if (hit) return new Response(hit.body, { status: 200, headers: hit.headers });
  const settle = api.cache.begin(key);
  let made: CachedResponse | undefined;
  try {
    await next();
    if (c.res.status !== 200) return;
    // The tag of what the handler read: a refresh may have published since the key was made.
    const read = (await c.var.reads.tag()) ?? api.tag;
    if (read !== tag) {
      c.res.headers.set('ETag', `"${read}-${fnv1a(`${read}${key.slice(tag.length)}`)}"`);
      c.res.headers.set('Cache-Control', cacheHeaders['Cache-Control']);
      return;
    }
    for (const [k, v] of Object.entries(cacheHeaders)) c.res.headers.set(k, v);
    made = { body: new Uint8Array(await c.res.clone().arrayBuffer()), headers: Object.fromEntries(c.res.headers.entries()) };
    api.cache.set(key, made);
  } finally {
    settle(made);
  }
};
