import { OpenAPIHono } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import type { ApiEnv } from './env.ts';
import { problem } from './problem.ts';

/** Names the parameter and the reason for each zod issue, e.g. "query parameter 'limit': Too big: expected number to be <=1000". */
export function describeIssues(target: string, error: ZodError): string {
  const where = target === 'json' ? 'body field' : target === 'param' ? 'path parameter' : `${target} parameter`;
  return error.issues
    .map((i) => (i.path.length ? `${where} '${i.path.join('.')}': ${i.message}` : `${target}: ${i.message}`))
    .join('; ');
}

/** A sub-app for one resource; invalid input answers 400 problem+json naming the parameter. */
export function newRoutes(): OpenAPIHono<ApiEnv> {
  return new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return problem(c, 400, describeIssues(result.target, result.error));
    },
  });
}
