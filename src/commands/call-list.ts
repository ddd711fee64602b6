import { writeFileSync } from 'node:fs';
import { closest, dbOption, UserError, type Command } from '../cli/command.ts';
import { stdout, stderr } from '../cli/output.ts';
import { resolveDbPath, withWarehouse, type Warehouse } from '../db/warehouse.ts';
import { toTextTable } from '../db/writers.ts';
import { requirePublication, runRefresh } from '../pipeline/index.ts';
import { dataAsOf } from '../risk/as-of.ts';
import { DEFAULT_CAPACITY } from '../risk/call-list.ts';
import { callListCsv, callListXlsx, inWords } from '../risk/call-list-export.ts';
import { intFlag } from './publication-flags.ts';
import { LOCALES } from '../locale/formats.ts';

const FORMATS = ['table', 'csv', 'xlsx'] as const;
const TABLE_COLUMNS = ['rank', 'customer_name', 'collector', 'open_balance', 'overdue_balance', 'oldest_days_past_due', 'risk_band', 'amount_at_risk', 'suggested_action', 'scheduled_date', 'reasons_text'];

export const callListCommand: Command = {
  name: 'call-list',
  options: {
    ...dbOption,
    collector: { type: 'string', description: "only this collector's calls", placeholder: 'C' },
    date: { type: 'string', description: 'calls scheduled on this day (default: the data date); "all" for every day', placeholder: 'D' },
    format: { type: 'string', default: 'table', description: `output: ${FORMATS.join('|')}`, placeholder: 'F' },
    out: { type: 'string', description: 'write to this file (required for xlsx)', placeholder: 'FILE' },
    locale: { type: 'string', default: LOCALES[0], description: `words and numbers in this locale (CSV: its list separator and decimal mark): ${LOCALES.join(', ')}`, placeholder: 'TAG' },
    capacity: { type: 'string', description: `re-score and publish the list with N calls per collector per day (default as published, ${DEFAULT_CAPACITY})`, placeholder: 'N' },
  },
  details: 'CSV and XLSX open cleanly in Excel: UTF-8 BOM, the locale\'s separator and decimal mark (es-MX: "," and "."; es-CO, es-AR, es-ES, pt-BR: ";" and ","), formulas escaped.',
  async run(opts) {
    const format = String(opts.format) as (typeof FORMATS)[number];
    if (!FORMATS.includes(format)) throw new UserError(`call-list: --format must be one of ${FORMATS.join(', ')}`, 2);
    if (format === 'xlsx' && !opts.out) throw new UserError('call-list: xlsx is binary; give --out FILE.xlsx', 2);
    const locale = LOCALES.find((l) => l.toLowerCase() === String(opts.locale).toLowerCase());
    if (!locale) throw new UserError(`call-list: --locale must be one of ${LOCALES.join(', ')}`, 2);
    const date = opts.date as string | undefined;
    if (date !== undefined && date !== 'all' && !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new UserError('call-list: --date must be YYYY-MM-DD or all', 2);
    await withWarehouse(resolveDbPath(opts.db as string | undefined), async (wh) => {
      await requirePublication(wh);
      const collector = opts.collector as string | undefined;
      if (collector !== undefined) await knownCollector(wh, collector);
      if (opts.capacity !== undefined) {
        await runRefresh(wh, { build: false, capacity: intFlag(opts.capacity, 'capacity', DEFAULT_CAPACITY, 1), trigger: 'cli' });
      }
      if (!(await wh.tableExists('call_list'))) throw new UserError('call-list: no call list yet; run `cartera score` first');
      const day = date === 'all' ? null : (date ?? (await dataAsOf(wh)));
      const rows = await wh.all(
        `select * from call_list
         where ($collector::varchar is null or collector = $collector) and ($day::date is null or scheduled_date = $day::date)
         order by rank`,
        { collector: collector ?? null, day },
      );
      const [{ currency }] = await wh.all('select reporting_currency as currency from build_options');
      let body: string | Buffer;
      if (format === 'csv') body = callListCsv(rows, locale, String(currency));
      else if (format === 'xlsx') body = await callListXlsx(rows, locale, String(currency));
      else body = toTextTable(TABLE_COLUMNS, inWords(rows, locale, String(currency)).map((r) => TABLE_COLUMNS.map((c) => r[c])));
      if (opts.out) {
        writeFileSync(String(opts.out), body);
        stderr.write(`call-list: ${rows.length} customers written to ${opts.out}\n`);
      } else stdout.write(body);
    });
  },
};

/** A collector the portfolio has, or a usage error that lists the ones it has (an empty list would say nothing). */
async function knownCollector(wh: Warehouse, collector: string): Promise<void> {
  const names = (await wh.all<{ c: string }>(`select distinct collector as c from dim_customers where collector is not null order by 1`)).map((r) => r.c);
  if (names.includes(collector)) return;
  const near = closest(collector, names);
  const shown = names.length > 20 ? `${names.slice(0, 20).join(', ')}, ... (${names.length} in all)` : names.join(', ');
  throw new UserError(`call-list: no collector named '${collector}'${near ? ` (did you mean '${near}'?)` : ''}; the collectors are: ${shown || 'none'}`, 2);
}
