/**
 * `cartera reminders` as a user meets it: what it prints, the files it writes, when a reminder
 * counts as handed over (a file written, or --record with stdout; never with --dry-run), and a
 * one-line answer for each mistake.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { withWarehouse } from '../../src/db/warehouse.ts';
import type { Reminder } from '../../src/reminders/index.ts';
import { monthWarehouse, type MonthWarehouse } from './month-warehouse.ts';
import { cartera } from './run-cli.ts';

let m: MonthWarehouse;
beforeAll(async () => {
  m = await monthWarehouse();
}, 120_000);
afterAll(() => m?.cleanup());

const recorded = () => withWarehouse(m.db, (wh) => wh.scalar<string>(`select count(*)::varchar from recorded_activities where channel = 'reminder'`));
const reminders = (...args: string[]) => cartera('reminders', '--db', m.db, ...args);

describe('handing over', () => {
  test('printed to stdout: JSON, one object per reminder, and nothing recorded', async () => {
    const r = await reminders('--date', '2026-03-09');
    expect(r.code, r.err).toBe(0);
    const body = JSON.parse(r.out) as { type: string; date: string; balances_as_of: string; count: number; data: Reminder[] };
    expect([body.type, body.date, body.balances_as_of, body.count]).toEqual(['cartera.reminders', '2026-03-09', '2026-02-28', 5]);
    // Nine days after the data: the operator sees it before handing anything over.
    expect(r.err).toBe('reminders: 5 reminders for 2026-03-09\nreminders: on the balances of 2026-02-28, 9 days before 2026-03-09: a payment since then is not in them (cartera refresh first)\n');
    expect(await recorded()).toBe('0');
  });

  test('--dry-run writes the file and records nothing', async () => {
    const out = join(m.dir, 'dry.json');
    const r = await reminders('--date', '2026-03-09', '--out', out, '--dry-run');
    expect(r.err).toMatch(/to file .*dry\.json \(dry run: nothing recorded\)/);
    expect(JSON.parse(readFileSync(out, 'utf8')).count).toBe(5);
    expect(await recorded()).toBe('0');
  });

  test("xlsx: one row per reminder and invoice, amounts as numbers in the invoice's currency; written means handed over", async () => {
    const out = join(m.dir, 'recordatorios.xlsx');
    const r = await reminders('--date', '2026-03-07', '--collector', 'ana', '--format', 'xlsx', '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/2 reminders for 2026-03-07 to file .*recordatorios\.xlsx; recorded as handed over/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(out) as never);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1) as string[];
    const cell = (row: number, name: string) => ws.getRow(row).getCell(header.indexOf(name) + 1).value;
    expect(ws.rowCount).toBe(3);
    expect([2, 3].map((row) => [cell(row, 'customer_id'), cell(row, 'template_key'), cell(row, 'invoice_id'), cell(row, 'currency'), cell(row, 'outstanding')])).toEqual([
      ['C1', 'reminder.due', 'I13', 'USD', 200],
      ['C7', 'reminder.due', 'I71', 'MXN', 10000],
    ]);
    expect(cell(2, 'due_date')).toEqual(new Date('2026-03-03T00:00:00Z'));
    expect(await recorded()).toBe('2');
  });

  test('stdout with --record counts as handed over: csv, then nothing again', async () => {
    const first = await reminders('--date', '2026-03-07', '--collector', 'bruno', '--format', 'csv', '--record');
    expect(first.code, first.err).toBe(0);
    const lines = first.out.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^date,reminder_id,customer_id,customer_name,email,phone,country,locale,language,time_zone,window_start,window_end,/);
    // Bruno's customers on 03-07, nothing handed over before: C2's I21 (due Sunday 03-08) three days before; C4 holds a promise;
    // C6's I61 (due 03-12) is not yet at -3; C8's account is in legal.
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',C2,Constructora Andina S.A.S.,');
    expect(lines[1]).toContain(',2026-03-07T08:00:00-05:00,2026-03-07T15:00:00-05:00,');
    expect(await recorded()).toBe('3');
    const again = await reminders('--date', '2026-03-07', '--collector', 'bruno', '--record');
    expect(JSON.parse(again.out).count).toBe(0);
    expect(await recorded()).toBe('3');
  });
});

describe('mistakes', () => {
  test.each([
    [['--date', '2026-02-30'], 2, /--date must be a calendar day as YYYY-MM-DD, not '2026-02-30'/],
    [['--format', 'pdf'], 2, /--format must be one of json, csv, xlsx/],
    [['--format', 'xlsx'], 2, /xlsx is binary; give --out FILE\.xlsx/],
    [['--secret-env', 'X'], 2, /--secret-env goes with --webhook/],
    [['--cadences', '/nonexistent/cadences'], 1, /no cadence folder at \/nonexistent\/cadences/],
    [['--dates', '2026-03-01'], 2, /unknown option --dates \(did you mean --date\?\)/],
  ])('%j', async (args, code, message) => {
    const r = await reminders(...(args as string[]));
    expect([r.code, r.err]).toEqual([code, expect.stringMatching(message as RegExp)]);
    expect(r.err).not.toMatch(/^\s+at\s/m);
  });

  test('a cadence file with a mistake: the file and the key, one line', async () => {
    const dir = join(m.dir, 'bad-cadences');
    mkdirSync(dir);
    writeFileSync(join(dir, 'default.yaml'), 'name: default\nlevels:\n  - {level: due, days: zero, template: reminder.due, label: {es: Vence, en: Due}}\n');
    const r = await reminders('--date', '2026-03-09', '--cadences', dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^cartera: .*bad-cadences\/default\.yaml: levels\.0\.days: .*expected number/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});
