/**
 * The reminders of a hand-computed month (issue 19): `cartera reminders --date D --out FILE` on
 * each day of March 2026, on the warehouse of month-warehouse.ts (the real pipeline from small
 * exports), with the shipped default cadence and a Gobierno cadence beside it. Each reminder
 * written to the file counts as handed over and is recorded; the table below is worked out by
 * hand from the cadence (days -3, 0, 7, 15, 30, 60 from the due date, up to 6 days late when
 * missed), the countries' rules (MX every day 07-22 h, one a day; CO Mon-Fri 07-19 h, Sat
 * 08-15 h, closed Sundays, one a day and two a week; CL Mon-Sat 08-20 h, two a week; US every
 * day 08-21 h) and the data.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { withWarehouse } from '../../src/db/warehouse.ts';
import { DEFAULT_CADENCES, type Reminder } from '../../src/reminders/index.ts';
import { monthWarehouse, type MonthWarehouse } from './month-warehouse.ts';
import { cartera, GOBIERNO_CADENCE, MARCH } from './run-cli.ts';

/**
 * Day -> the reminders handed over that day, as "customer level invoices".
 * - C1 gets one a day (MX): on 03-10 I13 reaches +7 while I11, I12 and I14 fall due; the most
 *   advanced level goes first and the due reminder the day after (03-11).
 * - C2 (CO): I21 falls due on Sunday 03-08, when Colombia is closed: it goes on Monday. Its +7 falls
 *   on Sunday 03-15; on Monday 03-16 the calls of 03-10 and 03-12 (in the export refreshed on the
 *   15th) fill its two a week; on 03-17 the week holds one (03-12) and it goes.
 * - C3: I31 (disputed in the export) and I33 (dispute recorded in Cartera) never; I32's -3 falls on
 *   03-15, the day of a call, so it goes on 03-16.
 * - C4: its promise holds it until 03-20; on 03-21 I41 is 19 days past due: its +15 (15 to 21).
 * - C6: I61 is paid on 03-14 (refreshed in on the 15th): no +7 on 03-19.
 * - C7 (Gobierno): its own cadence, due and +20.
 * - C8: I81 is in legal, so the account is: nothing for I82 either (alone it would have
 *   had its -3 on 03-07 and its due date on 03-10).
 */
const EXPECTED: Record<string, string[]> = {
  '2026-03-01': ['C1 before_due I13'],
  '2026-03-03': ['C1 due I13'],
  '2026-03-05': ['C2 before_due I21', 'C7 due I71'],
  '2026-03-06': ['C5 before_due I51'],
  '2026-03-07': ['C1 before_due I11,I12,I14'],
  '2026-03-09': ['C2 due I21', 'C5 due I51', 'C6 before_due I61'],
  '2026-03-10': ['C1 overdue_7 I13'],
  '2026-03-11': ['C1 due I11,I12,I14'],
  '2026-03-12': ['C6 due I61'],
  '2026-03-16': ['C3 before_due I32', 'C5 overdue_7 I51'],
  '2026-03-17': ['C1 overdue_7 I11,I12,I14', 'C2 overdue_7 I21'],
  '2026-03-18': ['C1 overdue_15 I13', 'C3 due I32'],
  '2026-03-21': ['C4 overdue_15 I41'],
  '2026-03-23': ['C2 overdue_15 I21'],
  '2026-03-24': ['C5 overdue_15 I51'],
  '2026-03-25': ['C1 overdue_15 I11,I12,I14', 'C3 overdue_7 I32', 'C7 formal_20 I71'],
};

let m: MonthWarehouse;
let cadences: string;
/** What each day's file held. */
const month: Record<string, Reminder[]> = {};

const brief = (r: Reminder) => `${r.customer_id} ${r.level} ${r.invoices.map((i) => i.invoice_id).join(',')}`;

async function handOver(day: string): Promise<Reminder[]> {
  const out = join(m.dir, `reminders-${day}.json`);
  const r = await cartera('reminders', '--db', m.db, '--date', day, '--cadences', cadences, '--out', out);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')).data as Reminder[];
}

beforeAll(async () => {
  m = await monthWarehouse();
  cadences = join(m.dir, 'cadences');
  mkdirSync(cadences);
  copyFileSync(join(DEFAULT_CADENCES, 'default.yaml'), join(cadences, 'default.yaml'));
  writeFileSync(join(cadences, 'gobierno.yaml'), GOBIERNO_CADENCE);
  for (const day of MARCH) {
    if (day === '2026-03-15') await m.midMonth();
    month[day] = await handOver(day);
  }
}, 180_000);
afterAll(() => m?.cleanup());

describe('a month of reminders', () => {
  test('each day hands over exactly the reminders worked out by hand', () => {
    const got = Object.fromEntries(Object.entries(month).filter(([, rs]) => rs.length).map(([d, rs]) => [d, rs.map(brief)]));
    expect(got).toEqual(EXPECTED);
  });

  test('each reminder carries contact, template key, language and the amounts in each invoice currency', () => {
    const [c1] = month['2026-03-07'];
    expect(c1).toMatchObject({
      customer_id: 'C1',
      customer_name: 'Aceros del Norte S.A. de C.V.',
      contact: { email: 'pagos@acerosnorte.com.mx', phone: '+52 55 1234 5678' },
      level: 'before_due',
      level_label: 'Recordatorio amistoso',
      template_key: 'reminder.before_due',
      language: 'es',
      locale: 'es-MX',
      cadence: 'default',
    });
    expect(c1.invoices.map((i) => [i.invoice_id, i.currency, i.outstanding, i.days_from_due])).toEqual([
      ['I11', 'MXN', '1000.00', -3],
      ['I12', 'MXN', '500.50', -3],
      ['I14', 'USD', '150.00', -3],
    ]);
    expect(c1.totals).toEqual([{ currency: 'MXN', outstanding: '1500.50' }, { currency: 'USD', outstanding: '150.00' }]);
    const c5 = month['2026-03-06'][0];
    expect([c5.language, c5.locale, c5.template_key, c5.level_label]).toEqual(['en', 'en-US', 'reminder.before_due', 'Friendly reminder']);
    const c7 = month['2026-03-25'].find((r) => r.customer_id === 'C7')!;
    expect([c7.cadence, c7.template_key]).toEqual(['gobierno', 'notice.formal_20']);
    expect(month['2026-03-10'][0].template_key).toBe('reminder.overdue_7');
  });

  test("windows: each country's hours that day, with the zone's offset that day", () => {
    const window = (day: string, customer: string) => month[day].find((r) => r.customer_id === customer)!.window;
    // New York changes to daylight time on Sunday 2026-03-08.
    expect(window('2026-03-06', 'C5')).toEqual({ time_zone: 'America/New_York', start: '2026-03-06T08:00:00-05:00', end: '2026-03-06T21:00:00-05:00' });
    expect(window('2026-03-09', 'C5')).toEqual({ time_zone: 'America/New_York', start: '2026-03-09T08:00:00-04:00', end: '2026-03-09T21:00:00-04:00' });
    expect(window('2026-03-09', 'C2')).toEqual({ time_zone: 'America/Bogota', start: '2026-03-09T07:00:00-05:00', end: '2026-03-09T19:00:00-05:00' });
    expect(window('2026-03-09', 'C6')).toEqual({ time_zone: 'America/Santiago', start: '2026-03-09T08:00:00-03:00', end: '2026-03-09T20:00:00-03:00' });
    // A Saturday in Mexico: open, 07:00 to 22:00.
    expect(window('2026-03-07', 'C1')).toEqual({ time_zone: 'America/Mexico_City', start: '2026-03-07T07:00:00-06:00', end: '2026-03-07T22:00:00-06:00' });
  });

  test('caps: never two a day for a customer, never more than two in 7 days in Colombia or Chile, nothing on a Sunday there', () => {
    for (const [day, rs] of Object.entries(month)) {
      const customers = rs.map((r) => r.customer_id);
      expect(new Set(customers).size, day).toBe(customers.length);
      if (new Date(`${day}T00:00:00Z`).getUTCDay() === 0) expect(rs.filter((r) => r.country === 'CO' || r.country === 'CL'), day).toEqual([]);
    }
    const days = (customer: string) => Object.entries(month).filter(([, rs]) => rs.some((r) => r.customer_id === customer)).map(([d]) => Date.parse(d) / 86_400_000);
    for (const customer of ['C2', 'C6']) {
      for (const d of days(customer)) expect(days(customer).filter((e) => e > d - 7 && e <= d).length).toBeLessThanOrEqual(2);
    }
  });

  test('every reminder handed over is an activity (channel reminder), with its invoices in the log', async () => {
    const total = Object.values(month).flat();
    await withWarehouse(m.db, async (wh) => {
      const acts = await wh.all<{ activity_id: string; date: string; channel: string; outcome: string; reached: boolean; collector: string; recorded_by: string }>(
        `select activity_id, activity_date::varchar as date, channel, outcome, reached, collector, recorded_by from recorded_activities order by activity_date, customer_id`,
      );
      expect(acts).toHaveLength(24);
      expect(acts.map((a) => a.activity_id).sort()).toEqual(total.map((r) => r.reminder_id).sort());
      expect(new Set(acts.map((a) => `${a.channel} ${a.outcome} ${a.reached} ${a.recorded_by}`))).toEqual(new Set(['reminder handed_over false cartera reminders']));
      const note = await wh.scalar<string>(`select note from recorded_activities where activity_id = $1`, [month['2026-03-07'][0].reminder_id]);
      expect(note).toBe(`Recordatorio amistoso (reminder.before_due, es): I11, I12, I14; to file ${join(m.dir, 'reminders-2026-03-07.json')}`);
      const logged = await wh.scalar<string>(`select count(*)::varchar from reminder_invoices`);
      expect(logged).toBe(String(total.reduce((s, r) => s + r.invoices.length, 0)));
    });
  });

  test('a re-run of any day of the month hands over nothing again', async () => {
    for (const day of MARCH) expect(await handOver(day), day).toEqual([]);
  });

  test('a refresh keeps the hand-overs, and publishes them as activities', async () => {
    await withWarehouse(m.db, async (wh) => {
      const { runRefresh } = await import('../../src/pipeline/index.ts');
      await runRefresh(wh, { changes: { asOf: '2026-03-31' }, score: 'none', trigger: 'test', dbPath: m.db });
      const n = await wh.scalar<string>(`select count(*)::varchar from fct_activities where channel = 'reminder' and source = 'cartera'`);
      expect(n).toBe('24');
    });
    expect(await handOver('2026-03-25')).toEqual([]);
  });
});
