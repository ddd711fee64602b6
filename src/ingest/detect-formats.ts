import type { Warehouse } from '../db/warehouse.ts';
import { InputError } from '../db/errors.ts';
import type { EntitySpec } from '../canonical/entities.ts';
import type { ColumnMapping } from './mapping.ts';
import type { Stage } from './readers/stage.ts';
import { numberEvidenceSql, readings, styleFromEvidence, type NumberEvidence, type NumberStyle } from './numbers.ts';
import { DATE_FORMATS, dateExpr, ident, isDayMonthAmbiguousPair, type ColumnFormat } from './value-formats.ts';

const SAMPLE_ROWS = 20000;

/** Human form of a strptime layout, for messages. */
export function describeDateFormat(f: string): string {
  if (f === 'iso') return 'YYYY-MM-DD';
  if (f === 'excel') return 'Excel serial day numbers';
  return f.replace('%d', 'DD').replace('%m', 'MM').replace('%Y', 'YYYY').replace('%y', 'YY').replace('%b', 'Mon').replace('%H', 'hh').replace('%M', 'mm').replace('%S', 'ss').replace('%I', 'hh').replace('%p', 'AM');
}

/**
 * Works out the date layout of every date column and the decimal mark of every numeric column.
 *
 * Numbers: each column's mark comes from all of its values (a streamed file's first rows, and all
 * of them when those cannot tell); a column whose values all read both ways (1.234, 2.500) takes
 * the mark the file's other number columns show, else the load stops and says how to choose
 * (`--decimal`). Values that contradict their column's mark are rejected row by row, never misread.
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
    if (numCols.length) {
      const styles = await numberStyles(wh, numCols, stage.table ?? sampleTable, stage.table ? undefined : stage.source, given.number, fileLabel);
      for (const c of numCols) if (styles[c]) formats[c] = { ...formats[c], number: styles[c] };
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

const DECIDE = `  Choose one: cartera ingest ... --decimal ,   (or --decimal .)`;

/**
 * The decimal mark of each number column (see `detectFormats`). `table` holds the rows to look at;
 * `full`, for a streamed file, is the whole source, read again only for columns its first rows
 * could not decide.
 */
async function numberStyles(
  wh: Warehouse,
  cols: string[],
  table: string,
  full: string | undefined,
  given: NumberStyle | undefined,
  fileLabel: string | undefined,
): Promise<Record<string, NumberStyle | undefined>> {
  if (given) return Object.fromEntries(cols.map((c) => [c, given]));
  const evidence = async (c: string, from: string) => (await wh.all<NumberEvidence>(numberEvidenceSql(ident(c), from)))[0];
  const seen = new Map<string, NumberEvidence>();
  for (const c of new Set(cols)) {
    let e = await evidence(c, table);
    if (full && styleFromEvidence(e) === 'undecided') e = await evidence(c, full);
    seen.set(c, e);
  }
  const out: Record<string, NumberStyle | undefined> = {};
  const undecided: string[] = [];
  for (const [c, e] of seen) {
    const style = styleFromEvidence(e);
    if (style === 'tie') {
      throw new InputError(
        `${fileLabel}: the amounts in column '${c}' mix decimal marks: '${e.dotExample}' has a decimal point and '${e.commaExample}' a decimal comma, as many of each.\n${DECIDE}`,
      );
    }
    if (style === 'undecided') undecided.push(c);
    else out[c] = style;
  }
  if (undecided.length) {
    // Exports write every number of a file alike: columns that show a mark decide for the rest.
    const shown = new Set([...seen.values()].filter((e) => e.dot !== e.comma).map((e) => (e.dot > e.comma ? 'dot' : 'comma')));
    if (shown.size !== 1) {
      const e = seen.get(undecided[0])!;
      const r = readings(e.ambiguousExample!);
      throw new InputError(
        `${fileLabel}: the amounts in column '${undecided[0]}' read two ways: '${e.ambiguousExample}' is ${r.comma} with a decimal comma and ${r.dot} with a decimal point, and no value tells which.\n${DECIDE}`,
      );
    }
    for (const c of undecided) out[c] = [...shown][0] as NumberStyle;
  }
  return out;
}
