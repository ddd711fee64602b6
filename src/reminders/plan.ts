import type { Cadences } from './cadence.ts';
import type { Day } from './day.ts';
import { sendWindow } from './windows.ts';

/**
 * What the selection SQL needs of the cadences on one day, as the JSON it reads: each level with
 * the last day it may still go out, which cadence each segment follows, and each country's rules
 * with its window that day (null when closed).
 */
export function reminderPlan(c: Cadences, day: Day): string {
  const levels = c.cadences.flatMap((cad) =>
    cad.levels.map((l, i) => ({
      cadence: cad.name,
      level: l.level,
      days: l.days,
      // A missed level may go out up to catch_up_days late, never once the next one is due.
      until_days: Math.min(l.days + cad.catch_up_days, (cad.levels[i + 1]?.days ?? Infinity) - 1),
      template: l.template,
      label_es: l.label.es,
      label_en: l.label.en,
    })),
  );
  const segments = c.cadences.flatMap((cad) => (cad.segments ?? []).map((segment) => ({ segment, cadence: cad.name })));
  const countries = Object.entries(c.countries).map(([country, rules]) => {
    const window = sendWindow(rules, day);
    return {
      country,
      time_zone: rules.time_zone,
      locale: rules.locale,
      language: new Intl.Locale(rules.locale).language,
      window_start: window?.start ?? null,
      window_end: window?.end ?? null,
      max_per_day: rules.max_per_day,
      max_per_week: rules.max_per_week ?? null,
    };
  });
  const rest = c.cadences.find((cad) => !cad.segments)?.name ?? null;
  return JSON.stringify({ levels, segments, rest, default_country: c.defaultCountry, countries });
}
