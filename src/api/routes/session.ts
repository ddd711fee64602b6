import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, setCookie } from 'hono/cookie';
import { KEY_COOKIE } from '../auth.ts';
import { ApiError } from '../problem.ts';
import { errorResponses } from '../responses.ts';
import { newRoutes } from '../router.ts';

/** `POST /api/login` and `/api/logout`: the browser sign-in of the dashboards. */
export const sessionRoutes = newRoutes();

const Principal = z.object({ name: z.string(), role: z.string(), collector: z.string().nullable() });

sessionRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/login',
    tags: ['service'],
    summary: 'Checks a key and keeps it in an HttpOnly, SameSite=Strict cookie',
    request: { body: { required: true, content: { 'application/json': { schema: z.object({ key: z.string().min(1).max(200) }) } } } },
    responses: { 200: { description: 'Signed in', content: { 'application/json': { schema: Principal } } }, ...errorResponses },
  }),
  (c) => {
    const { key } = c.req.valid('json');
    const p = c.var.api.keys.identify(key);
    if (!p) throw new ApiError(401, 'Unauthorized', 'the API key is not valid or has been revoked');
    setCookie(c, KEY_COOKIE, key, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      secure: new URL(c.req.url).protocol === 'https:',
      maxAge: 60 * 60 * 12,
    });
    return c.json({ name: p.name, role: p.role, collector: p.collector }, 200);
  },
);

sessionRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/logout',
    tags: ['service'],
    summary: 'Forgets the sign-in cookie',
    responses: { 204: { description: 'Signed out' } },
  }),
  (c) => {
    deleteCookie(c, KEY_COOKIE, { path: '/' });
    return c.body(null, 204);
  },
);
