/**
 * Cadence files: the shipped default as the issue describes it, and every mistake answered with
 * the file and the key at fault.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { DEFAULT_CADENCES, loadCadences, parseDay } from '../../src/reminders/index.ts';
import { reminderPlan } from '../../src/reminders/plan.ts';
import { GOBIERNO_CADENCE } from './run-cli.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A cadence folder holding these files. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cartera-cadences-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const LEVELS = `levels:
  - level: due
    days: 0
    template: reminder.due
    label: { es: Pago por vencer hoy, en: Payment due }
`;
const label = 'label: { es: x, en: x }';
const RULES = `default_country: MX
countries:
  MX:
    time_zone: America/Mexico_City
    locale: es-MX
    hours:
      mon-sun: "07:00-22:00"
    max_per_day: 1
`;

describe('the shipped cadence', () => {
  test('-3, 0, +7, +15, a formal notice at +30 and escalation at +60, for everyone', () => {
    const c = loadCadences(DEFAULT_CADENCES);
    expect(c.cadences).toHaveLength(1);
    expect(c.cadences[0].segments).toBeUndefined();
    expect(c.cadences[0].levels.map((l) => [l.days, l.template])).toEqual([
      [-3, 'reminder.before_due'],
      [0, 'reminder.due'],
      [7, 'reminder.overdue_7'],
      [15, 'reminder.overdue_15'],
      [30, 'notice.formal_30'],
      [60, 'escalation.60'],
    ]);
  });

  test("the demo's countries, Mexico 07:00 to 22:00 and one contact a day", () => {
    const c = loadCadences(DEFAULT_CADENCES);
    expect(Object.keys(c.countries).sort()).toEqual(['CL', 'CO', 'MX', 'US']);
    expect(c.countries.MX).toMatchObject({ max_per_day: 1, time_zone: 'America/Mexico_City', locale: 'es-MX' });
    expect(new Set(Object.values(c.countries.MX.hours))).toEqual(new Set(['07:00-22:00']));
    expect(c.countries.CO.hours.sun).toBeNull();
    expect(c.defaultCountry).toBe('MX');
  });

  test('a level missed on its day may go out up to catch_up_days later, never once the next is due', () => {
    const plan = JSON.parse(reminderPlan(loadCadences(DEFAULT_CADENCES), parseDay('2026-03-08')!));
    expect(plan.levels.map((l: { days: number; until_days: number }) => [l.days, l.until_days])).toEqual([
      [-3, -1], [0, 6], [7, 13], [15, 21], [30, 36], [60, 66],
    ]);
    // Sunday: closed in Colombia and Chile.
    expect(plan.countries.filter((k: { window_start: string | null }) => !k.window_start).map((k: { country: string }) => k.country).sort()).toEqual(['CL', 'CO']);
  });

  test('a closed date (a public holiday) has no window', () => {
    const holiday = RULES.replace('    max_per_day: 1', '    max_per_day: 1\n    closed_dates: [2026-03-16]');
    const c = loadCadences(folder({ 'default.yaml': `name: default\n${LEVELS}${holiday}` }));
    const window = (day: string) => JSON.parse(reminderPlan(c, parseDay(day)!)).countries[0].window_start;
    expect([window('2026-03-15'), window('2026-03-16')]).toEqual(['2026-03-15T07:00:00-06:00', null]);
  });

  test('a segment gets its own cadence; the default takes the rest', () => {
    const c = loadCadences(folder({ 'default.yaml': `name: default\n${LEVELS}${RULES}`, 'gobierno.yaml': GOBIERNO_CADENCE }));
    expect(c.cadences.map((x) => [x.name, x.segments])).toEqual([['gobierno', ['Gobierno']], ['default', undefined]]);
  });
});

describe('mistakes name the file and the key', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['levels out of order', { 'a.yaml': `name: a\nlevels:\n  - {level: due, days: 0, template: reminder.due, ${label}}\n  - {level: early, days: -3, template: reminder.early, ${label}}\n${RULES}` }, /a\.yaml: levels\.1\.days: must be after the level before \(0\)/],
    ['a template that is not a key', { 'a.yaml': `name: a\nlevels:\n  - {level: due, days: 0, template: "Pay now!", ${label}}\n${RULES}` }, /a\.yaml: levels\.0\.template: must be a dotted key/],
    ['a level without its Spanish name', { 'a.yaml': `name: a\nlevels:\n  - {level: due, days: 0, template: reminder.due, label: {en: Payment due}}\n${RULES}` }, /a\.yaml: levels\.0\.label\.es: /],
    ['an unknown key', { 'a.yaml': `name: a\n${LEVELS}${RULES}colour: red\n` }, /a\.yaml: \(top level\): Unrecognized key: "colour"/],
    ['hours that are not hours', { 'a.yaml': `name: a\n${LEVELS}${RULES.replace('07:00-22:00', '7 to 10')}` }, /a\.yaml: countries\.MX\.hours\.mon-sun: must be "HH:MM-HH:MM"/],
    ['a day without hours', { 'a.yaml': `name: a\n${LEVELS}${RULES.replace('mon-sun', 'mon-fri')}` }, /a\.yaml: countries\.MX\.hours: no hours for sat, sun/],
    ['a time zone that does not exist', { 'a.yaml': `name: a\n${LEVELS}${RULES.replace('America/Mexico_City', 'America/Monterey')}` }, /a\.yaml: countries\.MX\.time_zone: must be an IANA time zone/],
    ['a default country without rules', { 'a.yaml': `name: a\n${LEVELS}${RULES.replace('default_country: MX', 'default_country: AR')}` }, /a\.yaml: default_country: 'AR' is not among the countries/],
    ['broken YAML', { 'a.yaml': `name: a\nlevels: [\n` }, /a\.yaml:\d+: not valid YAML/],
    ['two cadences for the rest', { 'a.yaml': `name: a\n${LEVELS}${RULES}`, 'b.yaml': `name: b\n${LEVELS}` }, /b\.yaml: segments: .*a\.yaml already applies to every customer/],
    ['a segment twice', { 'a.yaml': `name: a\n${LEVELS}${RULES}`, 'b.yaml': `name: b\nsegments: [PyME]\n${LEVELS}`, 'c.yaml': `name: c\nsegments: [PyME]\n${LEVELS}` }, /c\.yaml: segments: 'PyME' already has a cadence, in .*b\.yaml/],
    ['contact rules in a segment cadence', { 'a.yaml': `name: a\n${LEVELS}${RULES}`, 'b.yaml': `name: b\nsegments: [PyME]\n${LEVELS}${RULES}` }, /b\.yaml: countries: contact rules are the company's/],
  ];
  test.each(cases)('%s', (_name, files, message) => {
    expect(() => loadCadences(folder(files))).toThrow(message);
  });

  test('an empty or missing folder', () => {
    expect(() => loadCadences(folder({}))).toThrow(/no cadence \(\*\.yaml\) in it/);
    expect(() => loadCadences('/nonexistent/cadences')).toThrow(/no cadence folder at \/nonexistent\/cadences/);
  });
});
