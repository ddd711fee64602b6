import type { CountryRules } from './cadence-schema.ts';
import { weekday, type Day } from './day.ts';

/** When a reminder may go out: the earliest and latest send time, in the customer's time zone (ISO 8601 with offset). */
export interface SendWindow {
  start: string;
  end: string;
}

/**
 * The contact window of a country on a day, or null when the day is closed (a closed weekday or
 * one of its closed dates).
 *
 * @example
 *   sendWindow(countries.MX, '2026-03-10') // { start: '2026-03-10T07:00:00-06:00', end: '2026-03-10T22:00:00-06:00' }
 */
export function sendWindow(rules: CountryRules, day: Day): SendWindow | null {
  const hours = rules.hours[weekday(day)];
  if (!hours || rules.closed_dates?.includes(day)) return null;
  const [from, to] = hours.split('-');
  return { start: localTime(day, from, rules.time_zone), end: localTime(day, to, rules.time_zone) };
}

/** A wall-clock time of a day in a time zone, written with the offset the zone has at that moment. */
function localTime(day: Day, hhmm: string, zone: string): string {
  const [h, m] = hhmm.split(':').map(Number);
  const wall = Date.parse(`${day}T00:00:00Z`) + (h * 60 + m) * 60_000;
  // The offset at the wall time read as UTC is right except within hours of a change: check it at the instant found.
  let offset = offsetMinutes(zone, wall);
  offset = offsetMinutes(zone, wall - offset * 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const time = h === 24 ? '24:00' : hhmm;
  return `${day}T${time}:00${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Minutes a zone is ahead of UTC at an instant (negative in the Americas). */
function offsetMinutes(zone: string, instant: number): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(instant))
    .find((p) => p.type === 'timeZoneName')!.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}
