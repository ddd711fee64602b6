import { createRoute, z } from '@hono/zod-openapi';
import { problemResponses, errorResponses } from '../responses.ts';
import { newRoutes } from '../router.ts';
import { clearSessionCookie, sessionIdOf } from '../session-cookie.ts';
import { signIn } from '../sign-in.ts';

/** `POST /api/login` and `/api/logout`: people sign in with a name and password; scripts send keys instead. */
export const sessionRoutes = newRoutes();

const Principal = z.object({ name: z.string(), role: z.string(), collector: z.string().nullable() });

sessionRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/login',
    tags: ['service'],
    summary: 'Signs a user in: a server-side session, its random id in an HttpOnly, SameSite=Strict cookie',
    description:
      'Failed sign-ins are limited per account (5 in 15 min lock it for 15 min) and per client address (20 a minute); ' +
      'a locked one answers 429 with Retry-After. API keys do not sign in: scripts send them as Authorization: Bearer.',
    request: {
      body: {
        required: true,
        content: { 'application/json': { schema: z.object({ user: z.string().min(1).max(200), password: z.string().min(1).max(1024) }).strict() } },
      },
    },
    responses: {
      200: { description: 'Signed in', content: { 'application/json': { schema: Principal } } },
      ...errorResponses,
      ...problemResponses({ 429: 'Too many failed attempts: the account or address is locked for Retry-After seconds' }),
    },
  }),
  async (c) => {
    const { user, password } = c.req.valid('json');
    const p = await signIn(c, user, password);
    return c.json({ name: p.name, role: p.role, collector: p.collector }, 200);
  },
);

sessionRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/logout',
    tags: ['service'],
    summary: 'Ends the session on the server and forgets its cookie',
    responses: { 204: { description: 'Signed out' } },
  }),
  async (c) => {
    const id = sessionIdOf(c);
    if (id !== undefined) await c.var.api.sessions.end(id);
    clearSessionCookie(c);
    return c.body(null, 204);
  },
);
