/** A calendar day as YYYY-MM-DD; every date enters the reminders through `parseDay`. */
export type Day = string & { readonly __day: unique symbol };

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** Monday first, as the hours of a cadence list them. */
export const WEEK: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** The day written as YYYY-MM-DD, or undefined when it is not a real calendar day (2026-02-30). */
export function parseDay(text: string): Day | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const t = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== text ? undefined : (text as Day);
}

/** The day of the week of a day. */
export const weekday = (day: Day): Weekday => WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()];

/** Today on this machine's calendar (its local time zone), as a Day: the day a morning job prepares. */
export const today = (): Day => new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date()) as Day;

/** Days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: Day, to: Day): number => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
