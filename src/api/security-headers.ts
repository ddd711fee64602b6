import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/** For pages that run no script at all (the API reference, notebooks): their own styles and nothing else, never framed. */
export const PLAIN_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const headers = secureHeaders({
  // Hono's defaults (nosniff, no referrer, same-origin resource and opener policies, no X-Powered-By), with framing refused outright.
  xFrameOptions: 'DENY',
  // HTTPS is the deployer's proxy's to announce: a server on plain HTTP must not pin browsers to HTTPS.
  strictTransportSecurity: false,
});

/** An origin a page may be framed by: scheme, host and optional port, nothing a CSP could misread. */
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

/** Throws on anything in `origins` that is not a plain origin (`https://intranet.example.com`). */
export function checkFrameAncestors(origins: string[]): string[] {
  for (const o of origins) if (!ORIGIN.test(o)) throw new Error(`'${o}' is not an origin like https://intranet.example.com`);
  return origins;
}

/**
 * Every response: Hono's secure headers (`X-Content-Type-Options: nosniff`, `Referrer-Policy:
 * no-referrer`, `X-Frame-Options: DENY`...). An HTML page that set no Content-Security-Policy of its
 * own gets the plain-page one, so no page is ever served without. Pages are never framed, unless
 * the deployer lists the origins that may (`frameAncestors`, e.g. an intranet portal): then their
 * CSP names those origins instead of 'none', and X-Frame-Options (which cannot list) is left out.
 */
export function securityHeaders(frameAncestors: string[] = []): MiddlewareHandler {
  const allowList = checkFrameAncestors(frameAncestors).join(' ');
  return async (c, next) => {
    await headers(c, next);
    const isPage = (c.res.headers.get('content-type') ?? '').includes('text/html');
    if (isPage && !c.res.headers.has('content-security-policy')) c.res.headers.set('Content-Security-Policy', PLAIN_PAGE_CSP);
    if (!allowList) return;
    const csp = c.res.headers.get('content-security-policy');
    if (csp) c.res.headers.set('Content-Security-Policy', csp.replace("frame-ancestors 'none'", `frame-ancestors ${allowList}`));
    c.res.headers.delete('X-Frame-Options');
  };
}
