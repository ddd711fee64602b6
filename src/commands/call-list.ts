import { writeFileSync } from 'node:fs';
import { dbOption, UserError, type Command } from '../cli/command.ts';
import { stdout, stderr } from '../cli/output.ts';
import { resolveDbPath, withWarehouse } from '../db/warehouse.ts';
import { toTextTable } from '../db/writers.ts';
import { runRefresh } from '../pipeline/index.ts';
import { dataAsOf } from '../risk/as-of.ts';
import { DEFAULT_CAPACITY } from '../risk/call-list.ts';
import { callListCsv, callListXlsx } from '../risk/call-list-export.ts';
import { intFlag } from './publication-flags.ts';

const FORMATS = ['table', 'csv', 'xlsx'] as const;
const TABLE_COLUMNS = ['rank', 'customer_name', 'collector', 'open_balance', 'overdue_balance', 'oldest_days_past_due', 'risk_band', 'amount_at_risk', 'suggested_action', 'scheduled_date', 'reasons_en'];

export const callListCommand: Command = {
  name: 'call-list',
  summary: "Print or export the collectors' prioritised call list (built by `cartera score`).",
  options: {
    ...dbOption,
    collector: { type: 'string', description: "only this collector's calls", placeholder: 'C' },
    date: { type: 'string', description: 'calls scheduled on this day (default: the data date); "all" for every day', placeholder: 'D' },
    format: { type: 'string', default: 'table', description: `output: ${FORMATS.join('|')}`, placeholder: 'F' },
    out: { type: 'string', description: 'write to this file (required for xlsx)', placeholder: 'FILE' },
    capacity: { type: 'string', description: `re-score and publish the list with N calls per collector per day (default as published, ${DEFAULT_CAPACITY})`, placeholder: 'N' },
  },
  details: 'CSV and XLSX open cleanly in Excel with Spanish settings (UTF-8 BOM, ";" and decimal comma; formulas escaped).',
  async run(opts) {
    const format = String(opts.format) as (typeof FORMATS)[number];
    if (!FORMATS.includes(format)) throw new UserError(`call-list: --format must be one of ${FORMATS.join(', ')}`, 2);
    if (format === 'xlsx' && !opts.out) throw new UserError('call-list: xlsx is binary; give --out FILE.xlsx', 2);
    const date = opts.date as string | undefined;
    if (date !== undefined && date !== 'all' && !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new UserError('call-list: --date must be YYYY-MM-DD or all', 2);
    await withWarehouse(resolveDbPath(opts.db as string | undefined), async (wh) => {
      if (opts.capacity !== undefined) {
        await runRefresh(wh, { build: false, capacity: intFlag(opts.capacity, 'capacity', DEFAULT_CAPACITY, 1), trigger: 'cli' });
      }
      if (!(await wh.tableExists('call_list'))) throw new UserError('call-list: no call list yet; run `cartera score` first');
      const day = date === 'all' ? null : (date ?? (await dataAsOf(wh)));
      const rows = await wh.all(
        `select * from call_list
         where ($collector::varchar is null or collector = $collector) and ($day::date is null or scheduled_date = $day::date)
         order by rank`,
        { collector: (opts.collector as string | undefined) ?? null, day },
      );
      let body: string | Buffer;
      if (format === 'csv') body = callListCsv(rows);
      else if (format === 'xlsx') body = await callListXlsx(rows);
      else body = toTextTable(TABLE_COLUMNS, rows.map((r) => TABLE_COLUMNS.map((c) => r[c])));
      if (opts.out) {
        writeFileSync(String(opts.out), body);
        stderr.write(`call-list: ${rows.length} customers written to ${opts.out}\n`);
      } else stdout.write(body);
    });
  },
};
