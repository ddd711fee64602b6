import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { formatsFor, languageOf, type Formats, type Lang } from '../locale/formats.ts';
import { requestLocale } from './request-locale.ts';

/**
 * A message for people: English only, or in both of the product's languages. A problem answers in
 * the request's language when its message has it, and says which in Content-Language: a page
 * that gets another language than its own shows its own words for the status instead, so no
 * screen mixes two languages.
 */
export type Said = string | Record<Lang, string>;

/** The formats of the request's locale (English when it asks for none): amounts and dates inside a message. */
export const requestFormats = (c: Context): Formats => formatsFor(requestLocale(c) ?? 'en-US');

const inEnglish = (said: Said): string => (typeof said === 'string' ? said : said.en);

/** An error a handler throws to answer with a problem+json body (RFC 9457). */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    readonly said: Said,
    /** Headers the answer carries too (e.g. Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(inEnglish(said));
  }

  /** The message in English (logs, audits, the CLI). */
  get detail(): string {
    return inEnglish(this.said);
  }
}

const TITLES: Record<number, Record<Lang, string>> = {
  400: { en: 'Bad request', es: 'Solicitud no válida' },
  401: { en: 'Unauthorized', es: 'Sin sesión' },
  403: { en: 'Forbidden', es: 'Sin permiso' },
  404: { en: 'Not found', es: 'No encontrado' },
  408: { en: 'Request timeout', es: 'Tiempo agotado' },
  409: { en: 'Conflict', es: 'Conflicto' },
  413: { en: 'Payload too large', es: 'Demasiado grande' },
  422: { en: 'Unprocessable content', es: 'Datos no aceptados' },
  429: { en: 'Too many requests', es: 'Demasiadas solicitudes' },
  500: { en: 'Internal server error', es: 'Error del servidor' },
  503: { en: 'Service unavailable', es: 'Servicio no disponible' },
};

/**
 * A problem+json response: {type, title, status, detail}, in the request's language (`?locale=`,
 * else Accept-Language) when `detail` has it, else in English; Content-Language says which.
 * `title` (English) is kept only where it says more than the status's own.
 */
export function problem(
  c: Context,
  status: ContentfulStatusCode,
  detail: Said,
  title?: string,
  headers: Record<string, string> = {},
): Response {
  const wanted = languageOf(requestLocale(c) ?? 'en-US');
  const lang: Lang = typeof detail === 'string' ? 'en' : wanted;
  const text = typeof detail === 'string' ? detail : detail[lang];
  const heading = lang === 'en' ? (title ?? TITLES[status]?.en ?? 'Error') : (TITLES[status]?.es ?? 'Error');
  return c.body(
    JSON.stringify({ type: `https://httpstatuses.io/${status}`, title: heading, status, detail: text }),
    status,
    { ...headers, 'Content-Type': 'application/problem+json', 'Content-Language': lang },
  );
}

/** A customer that does not exist, or that the caller's scope does not reach (the same words for both). */
export const NO_CUSTOMER = (id: string): Said => ({ en: `no customer with id '${id}'`, es: `no hay un cliente con id ${id}` });

/** Shorthands for the errors handlers raise most. */
export const badRequest = (detail: Said) => new ApiError(400, 'Bad request', detail);
export const forbidden = (detail: Said) => new ApiError(403, 'Forbidden', detail);
export const notFound = (detail: Said) => new ApiError(404, 'Not found', detail);

/** 429 with Retry-After in whole seconds (at least 1). */
export function tooManyRequests(retryAfterMs: number, detail: (seconds: number) => Said): ApiError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ApiError(429, 'Too many requests', detail(seconds), { 'Retry-After': String(seconds) });
}
