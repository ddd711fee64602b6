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

/**
 * Every response: Hono's secure headers (`X-Content-Type-Options: nosniff`, `Referrer-Policy:
 * no-referrer`, `X-Frame-Options: DENY`...). An HTML page that set no Content-Security-Policy of its
 * own gets the plain-page one, so no page is ever served without.
 */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await headers(c, next);
  if ((c.res.headers.get('content-type') ?? '').includes('text/html') && !c.res.headers.has('content-security-policy')) {
    c.res.headers.set('Content-Security-Policy', PLAIN_PAGE_CSP);
  }
};
