import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { securityHeaders } from '../../src/api/security-headers.ts';
import { startServer } from '../../src/web/server.ts';
import { apiFixture } from '../api/fixture.ts';
import { demoWarehouse } from '../support/demo-warehouse.ts';

let f: Awaited<ReturnType<typeof apiFixture>>;
beforeAll(async () => {
  f = await apiFixture();
});
afterAll(() => f?.close());

/** Pages and answers of every kind: HTML pages, JSON, files, errors. */
const PATHS = ['/', '/login', '/dashboards/cfo', '/dashboards/admin', '/notebooks', '/notebooks/morosidad-por-segmento', '/docs', '/openapi.json', '/api/health', '/api/kpis', '/api/aging?format=csv', '/assets/dashboard.js', '/api/nope', '/dashboards/nope'];

describe('security headers', () => {
  test('every response says nosniff; every HTML page has a CSP without inline scripts, no framing and no referrer', async () => {
    for (const path of PATHS) {
      for (const key of [undefined, f.keys.admin]) {
        const r = await f.get(path, key);
        expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
        if (!(r.headers.get('content-type') ?? '').includes('text/html')) continue;
        const csp = r.headers.get('content-security-policy') ?? '';
        expect(csp, path).toContain("frame-ancestors 'none'");
        const scripts = /script-src ([^;]*)/.exec(csp)?.[1] ?? /default-src ([^;]*)/.exec(csp)?.[1] ?? '';
        expect(scripts, path).not.toContain('unsafe-inline');
        expect(r.headers.get('referrer-policy'), path).toBe('no-referrer');
        expect(r.headers.get('x-frame-options'), path).toBe('DENY');
      }
    }
  });
});

describe('framing by an allow-list', () => {
  test('pages name the listed origins as frame-ancestors and drop X-Frame-Options; a non-origin is refused', async () => {
    const framed = await apiFixture({ frameAncestors: ['https://intranet.example.com'] });
    try {
      for (const path of ['/login', '/docs']) {
        const r = await framed.get(path);
        expect(r.headers.get('content-security-policy'), path).toContain('frame-ancestors https://intranet.example.com');
        expect(r.headers.get('x-frame-options'), path).toBeNull();
      }
    } finally {
      await framed.close();
    }
    expect(() => securityHeaders(["https://x.example.com; script-src 'unsafe-inline'"])).toThrow(/not an origin/);
  });
});

describe('the bind address', () => {
  test('a server listens on 127.0.0.1 unless told otherwise, and says where', async () => {
    const s = await startServer({ dbPath: await demoWarehouse(), port: 0, log: false });
    try {
      expect(s.host).toBe('127.0.0.1');
      expect(s.url).toBe(`http://127.0.0.1:${s.port}`);
    } finally {
      await s.close();
    }
  });
});
