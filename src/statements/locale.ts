import { StatementError } from './errors.ts';

/** The languages statements have labels in. */
export const LANGUAGES = ['es', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A checked locale: the BCP 47 tag numbers and dates are formatted in, and the language of the labels. */
export interface StatementLocale {
  tag: string;
  lang: Language;
}

const SPANISH = new Set(['AR', 'BO', 'CL', 'CO', 'CR', 'CU', 'DO', 'EC', 'ES', 'GT', 'HN', 'MX', 'NI', 'PA', 'PE', 'PR', 'PY', 'SV', 'UY', 'VE']);
const ENGLISH = new Set(['US', 'GB', 'CA', 'AU', 'NZ', 'IE']);

/**
 * Parses a locale given by a user (`es-MX`, `es-CO`, `en-US`...): a well-formed tag the runtime
 * formats, in a language statements have labels for. Throws a StatementError saying what is accepted.
 *
 * @example parseLocale('es-co') // -> { tag: 'es-CO', lang: 'es' }
 */
export function parseLocale(input: string): StatementLocale {
  let tag: string | undefined;
  try {
    tag = Intl.getCanonicalLocales(input)[0];
  } catch {
    tag = undefined;
  }
  const lang = tag?.split('-')[0] as Language | undefined;
  if (!tag || !lang || !LANGUAGES.includes(lang) || Intl.NumberFormat.supportedLocalesOf([tag]).length === 0) {
    throw new StatementError(`locale '${input}' is not one statements are written in: use a Spanish or English tag such as es-MX, es-CO, es-CL, en-US`);
  }
  return { tag, lang };
}

/**
 * The locale a customer's statement is written in when none is asked for: Spanish of the
 * customer's country in Spanish-speaking countries, English in English-speaking ones, else es-MX.
 */
export function customerLocale(country: string | null): StatementLocale {
  const cc = (country ?? '').toUpperCase();
  if (SPANISH.has(cc)) return parseLocale(`es-${cc}`);
  if (ENGLISH.has(cc)) return parseLocale(`en-${cc}`);
  return parseLocale('es-MX');
}
