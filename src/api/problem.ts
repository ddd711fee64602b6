import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** An error a handler throws to answer with a problem+json body (RFC 9457). */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    readonly detail: string,
    /** Headers the answer carries too (e.g. Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  408: 'Request timeout',
  409: 'Conflict',
  413: 'Payload too large',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/** A problem+json response: {type, title, status, detail}. */
export function problem(
  c: Context,
  status: ContentfulStatusCode,
  detail: string,
  title = TITLES[status] ?? 'Error',
  headers: Record<string, string> = {},
): Response {
  return c.body(
    JSON.stringify({ type: `https://httpstatuses.io/${status}`, title, status, detail }),
    status,
    { ...headers, 'Content-Type': 'application/problem+json' },
  );
}

/** Shorthands for the errors handlers raise most. */
export const badRequest = (detail: string) => new ApiError(400, 'Bad request', detail);
export const forbidden = (detail: string) => new ApiError(403, 'Forbidden', detail);
export const notFound = (detail: string) => new ApiError(404, 'Not found', detail);

/** 429 with Retry-After in whole seconds (at least 1). */
export function tooManyRequests(retryAfterMs: number, detail: (seconds: number) => string): ApiError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ApiError(429, 'Too many requests', detail(seconds), { 'Retry-After': String(seconds) });
}
