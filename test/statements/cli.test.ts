/**
 * `cartera statement` run as a user runs it (the real CLI in a child process) on the hand-computed
 * warehouse of tiny-warehouse.ts: one PDF per customer, a collector's, every customer with open
 * items in one zip, and the errors a user can act on.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/db/warehouse.ts';
import { hasRow, pdfText } from './read-back.ts';
import { AS_OF, statementsWarehouse } from './tiny-warehouse.ts';

const exec = promisify(execFile);

let t: Awaited<ReturnType<typeof statementsWarehouse>>;
beforeAll(async () => {
  t = await statementsWarehouse();
}, 120_000);
afterAll(() => t?.cleanup());

/** Runs the real CLI on the test warehouse; resolves with its exit code and output either way. */
async function cartera(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'statement', '--db', t.db, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('cartera statement', () => {
  it('--customer writes that customer\'s PDF, named by id and as-of', async () => {
    const out = join(t.dir, 'one');
    const r = await cartera(['--customer', 'C1', '--as-of', AS_OF, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`statement: 1 statement as of 2024-06-30 written to ${out}\n`);
    expect(readdirSync(out)).toEqual(['statement_C1_2024-06-30.pdf']);
    const text = pdfText(readFileSync(join(out, 'statement_C1_2024-06-30.pdf')));
    expect(text).toContain('Saldo al 30 jun 2024: $11,345.17');
    expect(hasRow(text, ['F-100', 'Factura', '1 mar 2024', '31 mar 2024', '91', '91-120 días', '$6,000.00'])).toBe(true);
  });

  it('--collector writes one PDF per customer of that collector with open items', async () => {
    const bruno = join(t.dir, 'bruno');
    const r = await cartera(['--collector', 'Bruno Díaz', '--out', bruno]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(bruno).sort()).toEqual(['statement_C2_2024-06-30.pdf', 'statement_C4_2024-06-30.pdf']);
    // Ana Ruiz has C1 and C3, but C3 owes nothing on the as-of: one statement.
    const ana = join(t.dir, 'ana');
    expect((await cartera(['--collector', 'Ana Ruiz', '--out', ana])).code).toBe(0);
    expect(readdirSync(ana)).toEqual(['statement_C1_2024-06-30.pdf']);
    // C2 is in the United States: English and US formats by default.
    const c2 = pdfText(readFileSync(join(bruno, 'statement_C2_2024-06-30.pdf')));
    expect(c2).toContain('Statement of account');
    expect(hasRow(c2, ['F-300', 'Invoice', 'Jun 1, 2024', 'Jul 1, 2024', '0', 'Current', '$3,000.00'])).toBe(true);
  });

  it('--all-open --zip writes one zip, one PDF for each customer with open items', async () => {
    const out = join(t.dir, 'all');
    const r = await cartera(['--all-open', '--zip', '--locale', 'en-US', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out)).toEqual(['statements_all-open_2024-06-30.zip']);
    const zip = await JSZip.loadAsync(readFileSync(join(out, 'statements_all-open_2024-06-30.zip')));
    const names = Object.keys(zip.files).sort();
    expect(names).toEqual(['statement_C1_2024-06-30.pdf', 'statement_C2_2024-06-30.pdf', 'statement_C4_2024-06-30.pdf']);
    // As many files as customers with an open item on the as-of, counted by the models' aging.
    const wh = await Warehouse.open(t.db);
    try {
      expect(await wh.scalar(`select count(distinct customer_id)::integer from aging_at($1::date)`, [AS_OF])).toBe(names.length);
    } finally {
      wh.close();
    }
    // C4: F-500 of 7,500.00 due 2024-02-14, 137 days past due on 06-30 (15 + 31 + 30 + 31 + 30): over 120.
    const c4 = pdfText(await zip.file('statement_C4_2024-06-30.pdf')!.async('uint8array'));
    expect(hasRow(c4, ['F-500', 'Invoice', 'Jan 15, 2024', 'Feb 14, 2024', '137', '> 120 days', 'MX$7,500.00'])).toBe(true);
    expect(c4).toMatch(/Balance as of Jun 30, 2024: MX\$7,500\.00 +Past due: MX\$7,500\.00/);
  });

  it('says how to find a customer id, and lists the collectors, exiting 2', async () => {
    const noCustomer = await cartera(['--customer', 'C9', '--out', join(t.dir, 'x')]);
    expect(noCustomer.code).toBe(2);
    expect(noCustomer.stderr).toContain("no customer with id 'C9'; find ids with: cartera query");
    const noCollector = await cartera(['--collector', 'Ana Ruis', '--out', join(t.dir, 'x')]);
    expect(noCollector.code).toBe(2);
    expect(noCollector.stderr).toContain("no collector named 'Ana Ruis' (did you mean 'Ana Ruiz'?); the collectors are: Ana Ruiz, Bruno Díaz");
  });

  it('refuses a missing or double scope, a bad as-of or locale, writing nothing', async () => {
    const out = join(t.dir, 'refused');
    for (const args of [['--out', out], ['--customer', 'C1', '--all-open', '--out', out], ['--customer', 'C1']]) {
      const r = await cartera(args);
      expect(r.code, args.join(' ')).toBe(2);
    }
    const late = await cartera(['--customer', 'C1', '--as-of', '2024-07-01', '--out', out]);
    expect(late.code).toBe(1);
    expect(late.stderr).toContain("as-of 2024-07-01 is after the data's as-of 2024-06-30");
    for (const day of ['2024-02-30', '2024-02-32']) expect((await cartera(['--customer', 'C1', '--as-of', day, '--out', out])).code, day).toBe(2);
    const locale = await cartera(['--customer', 'C1', '--locale', 'fr-FR', '--out', out]);
    expect(locale.code).toBe(1);
    expect(locale.stderr).toContain("locale 'fr-FR'");
    expect(() => readdirSync(out)).toThrow();
  });
});
