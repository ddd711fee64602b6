/**
 * Amounts and rates as exports write them: the grammar of a number in each decimal-mark style, the
 * SQL that reads one exactly (as DECIMAL, never through a float) or gives NULL, the reason a value
 * was not read, and the evidence a column's values give about its decimal mark.
 *
 * A value is read only when it fits its column's style exactly: "1.234,56" in a column whose amounts
 * use a decimal point is rejected rather than read as 1.23, and a value with more decimals than the
 * warehouse keeps is rejected rather than rounded.
 */
import { lit } from './sql-text.ts';

/** How numbers are written: plain (1234.5), decimal point (1,234.56), decimal comma (1.234,56). `plain` reads as `dot`. */
export type NumberStyle = 'plain' | 'dot' | 'comma';

/** The digits a DECIMAL keeps on each side of the mark, e.g. money DECIMAL(22,6): 16 and 6. */
export interface NumberScale {
  sqlType: string;
  integer: number;
  decimals: number;
}

// Money keeps 16 digits before the mark, as the models' DECIMAL(18,2) does: what loads, builds.
export const MONEY: NumberScale = { sqlType: 'DECIMAL(22,6)', integer: 16, decimals: 6 };
export const RATE: NumberScale = { sqlType: 'DECIMAL(18,8)', integer: 10, decimals: 8 };

// RE2 patterns (DuckDB's regular expressions). Thousands are grouped by threes after a first group
// of one to three digits that does not start with 0, so "0,500" can only be a decimal.
const GAP = `[ \\x{00A0}\\x{202F}]`; // space, no-break space, narrow no-break space (French and Spanish Excel)
const WS = `[\\s\\x{00A0}\\x{202F}]*`;
const LEAD = `[1-9]\\d{0,2}`;
const BODY: Record<'dot' | 'comma', string> = {
  dot: `(?:${LEAD}(?:,\\d{3})+|${LEAD}(?:'\\d{3})+|${LEAD}(?:${GAP}\\d{3})+|\\d+)(?:\\.\\d+)?|\\.\\d+`,
  comma: `(?:${LEAD}(?:\\.\\d{3})+|${LEAD}(?:${GAP}\\d{3})+|\\d+)(?:,\\d+)?|,\\d+`,
};
// Around the digits only a currency code (upper case) or symbol may stand, a sign, or accounting parentheses.
const UNIT = `(?:[A-Z]{3}|US\\$|R\\$|S/|Bs\\.?|M\\.?N\\.?|[$€£¥])`;
const envelope = (body: string) => `\\(?${WS}[-+]?${WS}(?:${UNIT}${WS})?[-+]?${WS}(${body})${WS}(?:${UNIT})?${WS}-?${WS}\\)?`;
/** A whole value in a style, its digits captured as group 1. */
export const NUMBER_PATTERN: Record<'dot' | 'comma', string> = { dot: envelope(BODY.dot), comma: envelope(BODY.comma) };
/** The plain form most exports use: read by a bare cast once checked. */
const PLAIN = `${WS}-?\\d+(?:\\.\\d+)?${WS}`;

const base = (style: NumberStyle): 'dot' | 'comma' => (style === 'comma' ? 'comma' : 'dot');

/** SQL for the digits of `t` with a '.' as the decimal mark ('' when `t` is not a number in `style`). */
function normalised(t: string, style: 'dot' | 'comma'): string {
  const body = `regexp_replace(regexp_extract(${t}, ${lit(`^${NUMBER_PATTERN[style]}$`)}, 1), ${lit(GAP)}, '', 'g')`;
  return style === 'comma' ? `replace(replace(${body}, '.', ''), ',', '.')` : `replace(replace(${body}, ',', ''), '''', '')`;
}

/** SQL: whether normalised digits `n` fit the scale (leading zeros do not count). */
const fits = (n: string, s: NumberScale) => `regexp_full_match(${n}, ${lit(`0*\\d{0,${s.integer}}(?:\\.\\d{1,${s.decimals}})?`)})`;

/**
 * SQL casting checked digits `n` (a '.' as the mark, at most the scale's decimals) to the scale's
 * type. DuckDB casts text to a DECIMAL wider than 18 digits some 300 times slower than to a narrower
 * one (a million amounts: 9.6 s against 30 ms), so digits that fit 18 take the narrow cast first.
 */
function toDecimal(n: string, s: NumberScale): string {
  const narrowInteger = 18 - s.decimals;
  if (s.integer <= narrowInteger) return `cast(${n} as ${s.sqlType})`;
  const narrow = `cast(cast(${n} as DECIMAL(18,${s.decimals})) as ${s.sqlType})`;
  return `case when regexp_full_match(${n}, ${lit(`${WS}[-+]?0*\\d{0,${narrowInteger}}(?:\\.\\d*)?${WS}`)}) then ${narrow} else cast(${n} as ${s.sqlType}) end`;
}

/**
 * SQL turning text `v` into a number of `scale`, exactly as written, or NULL: currency symbols and
 * codes, spaces, well-formed thousands groups, a leading or trailing minus and accounting
 * parentheses are accepted; anything else, or more digits than the scale keeps, gives NULL.
 *
 * @example numberExpr("'1.234,56-'", 'comma', MONEY) -- -1234.560000
 */
export function numberExpr(v: string, style: NumberStyle, scale: NumberScale): string {
  const t = `trim(${v})`;
  const s = base(style);
  const n = normalised(t, s);
  const negative = `(strpos(${t}, '-') > 0 or (${t} like '(%' and ${t} like '%)'))`;
  const general = `case when ${n} <> '' and ${fits(n, scale)} then (case when ${negative} then -1 else 1 end) * ${toDecimal(n, scale)} end`;
  if (s === 'comma') return general;
  // Most exports write amounts plainly: a pattern check and a bare cast, no string work.
  const plain = `regexp_full_match(${v}, ${lit(`${WS}-?0*\\d{1,${scale.integer}}(?:\\.\\d{1,${scale.decimals}})?${WS}`)})`;
  return `case when ${plain} then ${toDecimal(t, scale)} else ${general} end`;
}

/** SQL for why text `v` (not blank) was not read as a number of `style` and `scale`; `otherwise` when nothing more precise applies. */
export function numberReason(v: string, style: NumberStyle, scale: NumberScale, otherwise = 'not an amount'): string {
  const t = `trim(${v})`;
  const s = base(style);
  const other = s === 'dot' ? 'comma' : 'dot';
  const n = normalised(t, s);
  return `case
    when ${spreadsheetValue(t)} then ${spreadsheetReason(t)}
    when regexp_full_match(${t}, ${lit(`[-+]?\\d+(?:[.,]\\d+)?[eE][-+]?\\d+`)}) then 'scientific notation: export the number written out in full'
    when ${n} = '' and regexp_full_match(${t}, ${lit(NUMBER_PATTERN[other])}) then ${lit(s === 'dot' ? 'decimal comma in a column whose amounts use a decimal point' : 'decimal point in a column whose amounts use a decimal comma')}
    when ${n} like ${lit(`%.${'_'.repeat(scale.decimals + 1)}%`)} then ${lit(`more than ${scale.decimals} decimals (the warehouse keeps ${scale.decimals} and never rounds)`)}
    when ${n} <> '' then ${lit(`too large: more than ${scale.integer} digits before the decimal mark`)}
    else ${lit(otherwise)} end`;
}

/** SQL: whether text `t` is what a spreadsheet writes for a formula (no saved result) or a formula error. */
export const spreadsheetValue = (t: string) => `(${t} like '=%' or regexp_full_match(${t}, ${lit(SPREADSHEET_ERRORS)}))`;
const SPREADSHEET_ERRORS = `#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\\?|NUM!|N/A|SPILL!|CALC!|GETTING_DATA|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!)`;
/** SQL for the reason of a value `spreadsheetValue` matched. */
export const spreadsheetReason = (t: string) =>
  `case when ${t} like '=%' then 'a formula without a saved result: open the workbook in Excel and save it' else 'a spreadsheet formula error' end`;

/** What a column's values say about its decimal mark. */
export interface NumberEvidence {
  /** Values that are not blank. */
  n: number;
  /** Values written plainly (1234.5): every one of them reads the same either way or with a point. */
  plain: number;
  /** Values only a decimal point reads (12.50, 1,234.56), and one of them. */
  dot: number;
  dotExample: string | null;
  /** Values only a decimal comma reads (12,50, 1.234,56), and one of them. */
  comma: number;
  commaExample: string | null;
  /** Values both read, differently (1.234, 2,500), and one of them. */
  ambiguous: number;
  ambiguousExample: string | null;
}

/** SQL computing `NumberEvidence` for column `col` (an identifier) of `source`. */
export function numberEvidenceSql(col: string, source: string): string {
  const t = `trim(${col})`;
  // A plain value (most of them) reads with a point; with a comma only when it has no point, or
  // its point stands where thousands would (1.234): cheap patterns spare it the full grammars.
  const dot = `(p or regexp_full_match(${t}, ${lit(NUMBER_PATTERN.dot)}))`;
  const comma = `case when p then strpos(${t}, '.') = 0 or regexp_full_match(${t}, ${lit(`-?${LEAD}\\.\\d{3}`)}) else regexp_full_match(${t}, ${lit(NUMBER_PATTERN.comma)}) end`;
  return `select count(*)::int as n,
                 count(*) filter (where p and not (d and c and regexp_matches(${t}, '[.,]')))::int as plain,
                 count(*) filter (where d and not c)::int as dot, min(${t}) filter (where d and not c) as "dotExample",
                 count(*) filter (where c and not d)::int as comma, min(${t}) filter (where c and not d) as "commaExample",
                 count(*) filter (where d and c and regexp_matches(${t}, '[.,]'))::int as ambiguous,
                 min(${t}) filter (where d and c and regexp_matches(${t}, '[.,]')) as "ambiguousExample"
            from (select ${col}, p, ${dot} as d, ${comma} as c
                    from (select ${col}, regexp_full_match(${col}, ${lit(PLAIN)}) as p from ${source} where ${col} is not null and ${t} <> ''))`;
}

/**
 * A column's decimal mark from its evidence: the mark its values show (the larger number of
 * values, the rest are rejected one by one), `plain` when every value is plain, `undecided` when
 * every telling value reads both ways, `tie` when as many values show each mark.
 */
export function styleFromEvidence(e: NumberEvidence): NumberStyle | 'undecided' | 'tie' | undefined {
  if (e.n === 0) return undefined;
  if (e.plain === e.n) return 'plain';
  if (e.dot > e.comma) return 'dot';
  if (e.comma > e.dot) return 'comma';
  if (e.dot > 0) return 'tie';
  return e.ambiguous > 0 ? 'undecided' : 'dot';
}

/** How an ambiguous example reads with each mark, for messages: '1.234' -> ['1234', '1.234']. */
export function readings(example: string): { comma: string; dot: string } {
  const digits = example.replace(/[\s\u00a0\u202f']/g, '');
  return { comma: digits.replace(/\./g, '').replace(',', '.'), dot: digits.replace(/,/g, '') };
}
