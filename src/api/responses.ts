import { z } from '@hono/zod-openapi';

/** The problem+json body every error answers with. */
export const ProblemSchema = z
  .object({ type: z.string(), title: z.string(), status: z.number().int(), detail: z.string() })
  .openapi('Problem');

const problemOf = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

/** Problem responses by status, for errors an endpoint adds to `errorResponses`. */
export function problemResponses(byStatus: Record<number, string>) {
  return Object.fromEntries(Object.entries(byStatus).map(([status, description]) => [status, problemOf(description)]));
}

/** The errors any keyed endpoint may answer. */
export const errorResponses = {
  400: problemOf('A parameter is invalid; `detail` names it and says why'),
  401: problemOf('Not signed in (or the session ended), no key, or a key that is not valid'),
  403: problemOf("The key's role may not use this endpoint, or its collector scope excludes what was asked"),
};

const anyRows = z.array(z.record(z.string(), z.unknown()));

/**
 * Responses of a tabular endpoint: JSON `{data: [...]}` by default, files with `?format=`,
 * 304 when If-None-Match still matches the build.
 */
export function tabularResponses(description: string, extra: z.ZodRawShape = {}) {
  return {
    200: {
      description: `${description}. With ?format=csv|xlsx|parquet|arrow, the same rows as a file.`,
      content: {
        'application/json': { schema: z.object({ ...extra, data: anyRows }) },
        'text/csv': { schema: z.string() },
      },
    },
    304: { description: 'Not modified: the build has not changed since the ETag was issued' },
    ...errorResponses,
  };
}

/** Responses of an endpoint answering one JSON document. */
export function jsonResponses(description: string, schema: z.ZodType) {
  return {
    200: { description, content: { 'application/json': { schema } } },
    304: { description: 'Not modified: the build has not changed since the ETag was issued' },
    ...errorResponses,
  };
}

/** Security requirement: a Bearer key (scripts) or the session cookie (people), for the OpenAPI document. */
export const keyed: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
