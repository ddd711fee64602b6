import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The address rate limits count a request against: the socket's peer, or 'local' where there is
 * no socket (`app.request()` in tests). Behind a proxy every request comes from the proxy, so
 * with `trustProxy` (only when one is really in front: anyone else can write the header) it is
 * the last X-Forwarded-For entry, the one that proxy appended.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'local';
  } catch {
    return 'local';
  }
}

/** Whether the request reached the server over HTTPS, directly or (trusted) through a proxy. */
export function overHttps(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  return trustProxy && c.req.header('x-forwarded-proto')?.split(',')[0].trim() === 'https';
}
