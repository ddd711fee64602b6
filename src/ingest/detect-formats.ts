import type { Warehouse } from '../db/warehouse.ts';
import { InputError } from '../db/errors.ts';
import type { EntitySpec } from '../canonical/entities.ts';
import type { ColumnMapping } from './mapping.ts';
import type { Stage } from './readers/stage.ts';
import {
  DATE_FORMATS,
  dateExpr,
  detectNumberStyle,
  ident,
  isDayMonthAmbiguousPair,
  type ColumnFormat,
  type NumberStyle,
} from './value-formats.ts';

const SAMPLE_ROWS = 20000;

/** Human form of a strptime layout, for messages. */
export function describeDateFormat(f: string): string {
  if (f === 'iso') return 'YYYY-MM-DD';
  if (f === 'excel') return 'Excel serial day numbers';
  return f.replace('%d', 'DD').replace('%m', 'MM').replace('%Y', 'YYYY').replace('%y', 'YY').replace('%b', 'Mon').replace('%H', 'hh').replace('%M', 'mm').replace('%S', 'ss').replace('%I', 'hh').replace('%p', 'AM');
}

/**
 * Works out the date layout of every date column and the number style of every numeric column.
 *
 * Dates: a sample shortlists the layouts that read every sampled value; where day-first and
 * month-first both survive, the other date columns of the same file vote, and if they cannot
 * settle it, every value of the file is checked. A file that stays ambiguous stops the load with
 * a message saying how to choose (`--date-format` or a profile).
 */
export async function detectFormats(
  wh: Warehouse,
  stage: Stage,
  entity: EntitySpec,
  mapping: ColumnMapping,
  given: { date?: string; number?: NumberStyle } = {},
  fileLabel = stage.table,
): Promise<Record<string, ColumnFormat>> {
  const formats: Record<string, ColumnFormat> = {};
  const typed = entity.fields.filter((f) => mapping[f.name]);
  const dateCols = typed.filter((f) => f.type === 'date').map((f) => mapping[f.name]);
  const numCols = typed.filter((f) => f.type === 'money' || f.type === 'rate').map((f) => mapping[f.name]);
  if (!dateCols.length && !numCols.length) return formats;

  const sampleTable = `${stage.table ?? `__sample_${process.pid}`}_sample`;
  const cols = [...new Set([...dateCols, ...numCols])];
  await wh.run(
    stage.table
      ? `create or replace temp table ${sampleTable} as select ${cols.map(ident).join(', ')} from ${stage.table} using sample reservoir(${SAMPLE_ROWS} rows) repeatable (7)`
      : // A streamed file is read once for real; its first rows are the sample, and ambiguity is still settled on every value below.
        `create or replace temp table ${sampleTable} as select ${cols.map(ident).join(', ')} from ${stage.source} limit ${SAMPLE_ROWS * 2}`,
  );
  try {
    // Numbers: one style per file (exports do not mix decimal marks), comma as the fallback for ';' files.
    if (numCols.length) {
      let style = given.number;
      if (!style) {
        const values: string[] = [];
        for (const c of numCols) {
          const rows = await wh.all<{ v: string }>(`select ${ident(c)} as v from ${sampleTable} where ${ident(c)} is not null and trim(${ident(c)}) <> ''`);
          values.push(...rows.map((r) => r.v));
        }
        style = detectNumberStyle(values, stage.dialect.delimiter === ';' ? 'comma' : 'dot');
      }
      for (const c of numCols) formats[c] = { ...formats[c], number: style };
    }

    if (dateCols.length) {
      const candidates = new Map<string, string[]>();
      for (const c of dateCols) {
        if (given.date) {
          candidates.set(c, [given.date]);
          continue;
        }
        const fails = DATE_FORMATS.map((f, i) => `count(*) filter (where ${ident(c)} is not null and trim(${ident(c)}) <> '' and ${dateExpr(ident(c), f)} is null) as f${i}`);
        // Distinct values: dates repeat a lot, and every layout is tried on each value.
        const row = (await wh.all<Record<string, string>>(
          `select count(*) filter (where ${ident(c)} is not null and trim(${ident(c)}) <> '') as n, ${fails.join(', ')}
             from (select distinct ${ident(c)} from ${sampleTable})`,
        ))[0];
        const n = Number(row.n);
        if (n === 0) {
          candidates.set(c, ['iso']);
          continue;
        }
        let ok = DATE_FORMATS.filter((_, i) => Number(row[`f${i}`]) === 0) as string[];
        if (!ok.length) {
          // No layout reads every value: take the one that reads most; the rest become row rejects.
          const best = DATE_FORMATS.map((f, i) => ({ f, bad: Number(row[`f${i}`]) })).sort((a, b) => a.bad - b.bad)[0];
          ok = [best.f];
        }
        candidates.set(c, ok);
      }
      // Settle day-first vs month-first across the file: a column that rules one out decides for all.
      const ambiguous = (list: string[]) => list.length > 1 && isDayMonthAmbiguousPair(list[0], list[1]);
      const decided = [...candidates.values()].find((l) => l.length && !ambiguous(l) && /%d.*%m|%m.*%d/.test(l[0]));
      for (const [c, list] of candidates) {
        if (!ambiguous(list)) continue;
        const pick = decided && list.includes(decided[0]) ? decided[0] : undefined;
        if (pick) candidates.set(c, [pick]);
      }
      const still = [...candidates.entries()].filter(([, l]) => ambiguous(l));
      if (still.length) {
        // The sample could not tell: count failures over every value of the file.
        const [a, b] = still[0][1];
        const checks = still.flatMap(([c]) => [
          `count(*) filter (where ${ident(c)} is not null and trim(${ident(c)}) <> '' and ${dateExpr(ident(c), a)} is null)`,
          `count(*) filter (where ${ident(c)} is not null and trim(${ident(c)}) <> '' and ${dateExpr(ident(c), b)} is null)`,
        ]);
        const row = Object.values((await wh.all<Record<string, string>>(`select ${checks.join(', ')} from ${stage.source}`))[0]).map(Number);
        const aFails = row.filter((_, i) => i % 2 === 0).reduce((s, x) => s + x, 0);
        const bFails = row.filter((_, i) => i % 2 === 1).reduce((s, x) => s + x, 0);
        if (aFails === 0 && bFails === 0) {
          throw new InputError(
            `${fileLabel}: the dates in column ${still.map(([c]) => `'${c}'`).join(', ')} read as both day-first (${describeDateFormat(a)}) and ` +
              `month-first (${describeDateFormat(b)}) for every value, so the order cannot be told apart.\n` +
              `  Choose one: cartera ingest ... --date-format '${a}'   (or --date-format '${b}', or "formats": {"date": "..."} in a profile)`,
          );
        }
        const pick = aFails <= bFails ? a : b;
        for (const [c] of still) candidates.set(c, [pick]);
      }
      for (const [c, list] of candidates) formats[c] = { ...formats[c], date: list[0] };
    }
    return formats;
  } finally {
    await wh.run(`drop table if exists ${sampleTable}`);
  }
}
