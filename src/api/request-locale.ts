import type { Context } from 'hono';
import { csvDialect, LOCALES, pickLocale, type CsvDialect, type Locale } from '../locale/formats.ts';

/** The tags of an Accept-Language header, most wanted first ('es-CO,es;q=0.9,en;q=0.5'). */
function acceptedTags(header: string): string[] {
  return header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? 1);
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((t) => t.tag && t.tag !== '*' && t.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((t) => t.tag);
}

/**
 * The locale a request asks for: `?locale=` (one of LOCALES), else its Accept-Language; undefined
 * when it asks for none we format in (a script with no header gets the plain, machine-readable forms).
 */
export function requestLocale(c: Context): Locale | undefined {
  const asked = c.req.query('locale');
  if (asked) return LOCALES.find((l) => l.toLowerCase() === asked.toLowerCase()) ?? pickLocale([asked]);
  return pickLocale(acceptedTags(c.req.header('accept-language') ?? ''));
}

/** RFC 4180's comma and a decimal point: what a CSV is when no locale is asked for. */
export const PLAIN_CSV: CsvDialect = { separator: ',', decimal: '.' };

/** The CSV dialect of the request's locale, else the plain one. */
export function requestCsvDialect(c: Context): CsvDialect {
  const locale = requestLocale(c);
  return locale ? csvDialect(locale) : PLAIN_CSV;
}
