import { afterEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { buildCallList, schedule } from '../../src/risk/call-list.ts';
import { callListCsv, callListXlsx } from '../../src/risk/call-list-export.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { AS_OF, createCallListFixture, tempWarehouse } from './fixture.ts';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function fixture(): Promise<Warehouse> {
  const t = await tempWarehouse();
  cleanup = t.done;
  await createCallListFixture(t.wh);
  return t.wh;
}

type Row = Record<string, string | number | boolean | null>;

describe('call list', () => {
  it('ranks customers by amount at risk x recoverability x urgency', async () => {
    const wh = await fixture();
    await buildCallList(wh, { asOf: AS_OF });
    const rows = await wh.all<Row>('select * from call_list order by rank');
    expect(rows.map((r) => r.customer_id)).toEqual(['E', 'A', 'B', 'D', 'H', 'I', 'C', 'F']);
    expect(rows.map((r) => Number(r.priority_score))).toEqual([25000, 8000, 4000, 3000, 2500, 2000, 1350, 375].map((v) => expect.closeTo(v, 6)) as never);
    const by = Object.fromEntries(rows.map((r) => [r.customer_id, r]));
    expect(by.A.suggested_action).toBe('formal_notice');
    expect(by.A.last_activity_channel).toBe('phone');
    expect(by.C.suggested_action).toBe('legal');
    expect(by.F.suggested_action).toBe('friendly_reminder');
    expect(by.F.suggested_action_es).toMatch(/Recordatorio/);
    expect(by.B.suggested_action).toBe('call');
    expect(by.A.amount_at_risk).toBe('8000.00');
  });

  it('keeps disputed amounts out of the amount at risk and asks to resolve the dispute', async () => {
    const wh = await fixture();
    await buildCallList(wh, { asOf: AS_OF });
    const d = (await wh.one<Row>(`select * from call_list where customer_id = 'D'`))!;
    expect(d.has_dispute).toBe(true);
    expect(d.disputed_amount).toBe('30000.00');
    expect(d.amount_at_risk).toBe('0.00');
    expect(d.suggested_action).toBe('resolve_dispute');
  });

  it('does not call before an open promise date, but calls on the day a promise falls due', async () => {
    const wh = await fixture();
    await buildCallList(wh, { asOf: AS_OF });
    const e = (await wh.one<Row>(`select * from call_list where customer_id = 'E'`))!;
    expect(e.open_promise_date).toBe('2024-07-05');
    expect(e.scheduled_date).toBe('2024-07-05');
    const i = (await wh.one<Row>(`select * from call_list where customer_id = 'I'`))!;
    expect(i.scheduled_date).toBe(AS_OF);
  });

  it('respects collector capacity, pushing lower priorities to later days', async () => {
    const wh = await fixture();
    await buildCallList(wh, { asOf: AS_OF, capacity: 3 });
    const rows = await wh.all<Row>('select customer_id, scheduled_date from call_list order by rank');
    expect(Object.fromEntries(rows.map((r) => [r.customer_id, r.scheduled_date]))).toEqual({
      E: '2024-07-05', A: '2024-06-30', B: '2024-06-30', D: '2024-06-30',
      H: '2024-06-30', I: '2024-07-01', C: '2024-06-30', F: '2024-07-01',
    });
    // Accounts not called daily (legal, dispute only) keep their day and take none of the capacity.
    const uncounted = await wh.all<Row>(`select customer_id from call_list where suggested_action in ('legal', 'resolve_dispute') order by customer_id`);
    expect(uncounted.map((r) => r.customer_id)).toEqual(['C', 'D']);
    const perDay = await wh.all<Row>(
      `select collector, scheduled_date, count(*)::int as n from call_list where suggested_action not in ('legal', 'resolve_dispute') group by all having n > 3`,
    );
    expect(perDay).toEqual([]);
  });

  it('schedules around days a held call already booked', () => {
    const days = schedule(
      [
        { customer_id: 'x', collector: 'c', earliest_date: '2024-07-01' },
        { customer_id: 'y', collector: 'c', earliest_date: '2024-06-30' },
        { customer_id: 'z', collector: 'c', earliest_date: '2024-06-30' },
      ],
      1,
    );
    expect([...days.entries()]).toEqual([['x', '2024-07-01'], ['y', '2024-06-30'], ['z', '2024-07-02']]);
  });

  it('keeps accounts that are not called daily (legal, dispute only) out of the day\'s capacity', () => {
    // Capacity 1: the legal and dispute-only accounts are handed over or resolved, not called, so the
    // first call still goes out today and the next one tomorrow (issue 19: "within their capacity").
    const days = schedule(
      [
        { customer_id: 'legal', collector: 'c', earliest_date: '2024-06-30', uncounted: true },
        { customer_id: 'dispute', collector: 'c', earliest_date: '2024-06-30', uncounted: true },
        { customer_id: 'x', collector: 'c', earliest_date: '2024-06-30' },
        { customer_id: 'y', collector: 'c', earliest_date: '2024-06-30' },
      ],
      1,
    );
    expect([...days.entries()]).toEqual([['legal', '2024-06-30'], ['dispute', '2024-06-30'], ['x', '2024-06-30'], ['y', '2024-07-01']]);
  });

  it('exports CSV for Spanish Excel: BOM, semicolons, decimal comma, CRLF, formulas escaped', async () => {
    const wh = await fixture();
    await buildCallList(wh, { asOf: AS_OF });
    const csv = callListCsv(await wh.all('select * from call_list order by rank'), 'es-CO', 'COP');
    expect(csv.startsWith('\uFEFFrank;customer_id;customer_name;')).toBe(true);
    expect(csv).toContain('\r\n');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(9);
    // People read one language: the reasons and the action in the locale's words, not codes and values, not both languages.
    const header = csv.slice(1, csv.indexOf('\r\n')).split(';');
    expect(header).toContain('reasons_text');
    expect(header).toContain('suggested_action_text');
    expect(header.filter((h) => /_(es|en)$|reason_values/.test(h))).toEqual([]);
    const cells = (line: string) => Object.fromEntries(header.map((h, i) => [h, line.split(';')[i]]));
    expect(cells(csv.split('\r\n')[1]).reasons_text).toBe('disputa abierta');
    const b = csv.split('\r\n').find((l) => l.startsWith('3;B;'))!;
    expect(b).toContain(`;"'=HYPERLINK(""http://x"",""y"")";`);
    // The e-mail starting with @ is defused; the phone '-1' is only a number, kept as written (see spreadsheetSafe).
    expect(b).toContain(";'@b.es;-1;");
    expect(b).toContain(';20000,00;');
    expect(csv).not.toMatch(/;=|;@/);
    // A phone number starts with + and is written as it is: no apostrophe for the reader to see (issue 19).
    expect(csv).toContain(';+34 600 000 001;');
  });

  it("exports CSV for a Mexican spreadsheet: commas between fields and a decimal point (es-MX's own marks)", async () => {
    const wh = await fixture();
    await buildCallList(wh, { asOf: AS_OF });
    const csv = callListCsv(await wh.all('select * from call_list order by rank'), 'es-MX', 'MXN');
    expect(csv.startsWith('\uFEFFrank,customer_id,customer_name,')).toBe(true);
    const b = csv.split('\r\n').find((l) => l.startsWith('3,B,'))!;
    expect(b).toContain(',20000.00,');
    expect(b).toContain(`,"'=HYPERLINK(""http://x"",""y"")",`);
  });

  it('exports XLSX with typed cells, number formats and formulas as text cells', async () => {
    const wh = await fixture();
    await buildCallList(wh, { asOf: AS_OF });
    const buf = await callListXlsx(await wh.all('select * from call_list order by rank'), 'en-US', 'MXN');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as never);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    expect(ws.rowCount).toBe(9);
    const b = ws.getRow(4);
    expect(b.getCell(col('customer_id')).value).toBe('B');
    // A text cell, never a formula: as written, with no apostrophe (test/api/call-list-export.test.ts reads the XML).
    expect(b.getCell(col('customer_name')).value).toBe(`=HYPERLINK("http://x","y")`);
    expect(b.getCell(col('customer_name')).type).toBe(ExcelJS.ValueType.String);
    expect(b.getCell(col('open_balance')).value).toBe(20000);
    expect(b.getCell(col('open_balance')).numFmt).toBe('#,##0.00');
    expect(b.getCell(col('scheduled_date')).value).toBeInstanceOf(Date);
  });
});
