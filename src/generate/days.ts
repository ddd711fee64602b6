/**
 * Dates as whole days since 1970-01-01 (UTC): integer arithmetic in the hot loop, and text
 * formatting from a cache, because ten million invoices format tens of millions of dates.
 */

const MS_PER_DAY = 86_400_000;

/** Day number of an ISO date 'YYYY-MM-DD'; throws on anything else. */
export function parseIsoDay(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) throw new Error(`not a YYYY-MM-DD date: '${text}'`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const day = ms / MS_PER_DAY;
  if (isoOf(day) !== text) throw new Error(`no such date: '${text}'`);
  return day;
}

/** ISO text of a day number. */
export function isoOf(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The same calendar day `years` earlier (Feb 29 falls back to Feb 28). */
export function yearsBefore(day: number, years: number): number {
  const d = new Date(day * MS_PER_DAY);
  const target = Date.UTC(d.getUTCFullYear() - years, d.getUTCMonth(), d.getUTCDate());
  const back = new Date(target);
  return (back.getUTCMonth() === d.getUTCMonth() ? target : Date.UTC(d.getUTCFullYear() - years, d.getUTCMonth() + 1, 0)) / MS_PER_DAY;
}

/** A JavaScript Date at UTC midnight of a day number (for Excel cells). */
export function dateOf(day: number): Date {
  return new Date(day * MS_PER_DAY);
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekdayOf(day: number): number {
  return (day + 4) % 7;
}

/** Formats day numbers in a fixed window as ISO, DD/MM/YYYY, and month (0-11), from precomputed tables. */
export class DayFormats {
  private readonly iso: string[] = [];
  private readonly dmy: string[] = [];
  private readonly months: number[] = [];

  constructor(readonly first: number, readonly last: number) {
    for (let d = first; d <= last; d++) {
      const s = isoOf(d);
      this.iso.push(s);
      this.dmy.push(`${s.slice(8, 10)}/${s.slice(5, 7)}/${s.slice(0, 4)}`);
      this.months.push(Number(s.slice(5, 7)) - 1);
    }
  }

  isoText(day: number): string {
    return this.iso[day - this.first] ?? isoOf(day);
  }

  dmyText(day: number): string {
    const cached = this.dmy[day - this.first];
    if (cached !== undefined) return cached;
    const s = isoOf(day);
    return `${s.slice(8, 10)}/${s.slice(5, 7)}/${s.slice(0, 4)}`;
  }

  month(day: number): number {
    return this.months[day - this.first] ?? new Date(day * MS_PER_DAY).getUTCMonth();
  }
}
