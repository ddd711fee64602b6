import { z } from 'zod';
import { WEEK, type Weekday } from './day.ts';

const HOURS = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/;
const DAY_KEY = new RegExp(`^(${WEEK.join('|')})(-(${WEEK.join('|')}))?$`);

const Level = z.strictObject({
  level: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower-case letters, digits and _ (e.g. overdue_7)'),
  days: z.number().int().min(-365).max(3650),
  template: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, 'must be a dotted key (e.g. reminder.overdue_7)'),
  /** The level's name for people, in Spanish and English (a reminder gives it in its customer's language). */
  label: z.strictObject({ es: z.string().min(1).max(100), en: z.string().min(1).max(100) }),
});

const Hours = z
  .record(z.string().regex(DAY_KEY, `must be a day (${WEEK.join(', ')}) or a range of days (mon-fri)`), z.union([
    z.literal('closed'),
    z.string().regex(HOURS, 'must be "HH:MM-HH:MM" (e.g. "07:00-22:00") or closed').refine((s) => s.slice(0, 5) < s.slice(6), 'must end after it starts'),
  ]))
  .transform((hours, ctx) => {
    const byDay: Partial<Record<Weekday, string | null>> = {};
    for (const [key, value] of Object.entries(hours)) {
      const [from, to = from] = key.split('-') as Weekday[];
      const [a, b] = [WEEK.indexOf(from), WEEK.indexOf(to)];
      if (b < a) ctx.addIssue({ code: 'custom', path: [key], message: `runs backwards; write ${to}-${from}` });
      for (const d of WEEK.slice(a, b + 1)) {
        if (d in byDay) ctx.addIssue({ code: 'custom', path: [key], message: `${d} is given twice` });
        byDay[d] = value === 'closed' ? null : value;
      }
    }
    const missing = WEEK.filter((d) => !(d in byDay));
    if (missing.length) ctx.addIssue({ code: 'custom', message: `no hours for ${missing.join(', ')} (write "closed" for a day without contacts)` });
    return byDay as Record<Weekday, string | null>;
  });

const Country = z.strictObject({
  time_zone: z.string().refine(validZone, 'must be an IANA time zone (e.g. America/Mexico_City)'),
  locale: z.string().refine(validLocale, 'must be a BCP 47 locale (e.g. es-MX)'),
  hours: Hours,
  max_per_day: z.number().int().min(1).max(24),
  max_per_week: z.number().int().min(1).max(168).optional(),
  closed_dates: z.array(z.iso.date()).optional(),
});

/** One cadence file, as written. */
export const CadenceFile = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower-case letters, digits, - and _'),
    segments: z.array(z.string().min(1)).min(1).optional(),
    catch_up_days: z.number().int().min(0).max(60).default(0),
    levels: z.array(Level).min(1),
    default_country: z.string().regex(/^[A-Z]{2}$/, 'must be a 2-letter country code').optional(),
    countries: z.record(z.string().regex(/^[A-Z]{2}$/, 'must be a 2-letter country code'), Country).optional(),
  })
  .superRefine((c, ctx) => {
    c.levels.forEach((l, i) => {
      if (i > 0 && l.days <= c.levels[i - 1].days) ctx.addIssue({ code: 'custom', path: ['levels', i, 'days'], message: `must be after the level before (${c.levels[i - 1].days})` });
      if (c.levels.findIndex((o) => o.level === l.level) !== i) ctx.addIssue({ code: 'custom', path: ['levels', i, 'level'], message: `'${l.level}' is given twice` });
    });
    if (c.default_country && c.countries && !(c.default_country in c.countries)) {
      ctx.addIssue({ code: 'custom', path: ['default_country'], message: `'${c.default_country}' is not among the countries` });
    }
  });

export type CadenceFile = z.infer<typeof CadenceFile>;
export type CountryRules = z.infer<typeof Country>;

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function validLocale(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}
