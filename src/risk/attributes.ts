import type { Warehouse } from '../db/warehouse.ts';
import { riskSql } from './sql.ts';

/**
 * One feature made from an attribute the export gave invoices or customers (`dim_attributes`):
 * chosen per warehouse when a model is trained, and stored with it so scoring builds the same.
 */
export interface AttributeFeature {
  /** Feature name: `attr:<entity>.<attribute>` (a category, target-encoded) or `num:<entity>.<attribute>`. */
  name: string;
  entity: 'invoice' | 'customer';
  attribute: string;
  kind: 'category' | 'number';
  /** False: the value has no date of its own and counts as known from the document's date. */
  dated: boolean;
  /** A category's values frequent enough in the training history to have their own code; the rest share one. */
  levels: string[];
}

/** A value needs this many training examples to get its own code. */
export const MIN_LEVEL_COUNT = 30;
/** A category keeps at most this many codes of its own (the most frequent). */
const MAX_LEVELS = 50;
/** At most this many attribute features, so a wide export does not swamp the customer's record. */
const MAX_ATTRIBUTES = 24;

interface Candidate {
  entity: 'invoice' | 'customer';
  attribute: string;
  dated: boolean;
  n_rows: number;
  n_invoices: number;
  n_values: number;
  all_numbers: boolean;
  frequent_values: string[];
}

const CANDIDATES_SQL = riskSql('attribute_candidates.sql');

/**
 * The attribute features worth learning from, as the training examples (temp table
 * `risk_examples`, left by `collectExamples`) carry them: a column whose values are all numbers,
 * more than 50 distinct ones but not one per invoice (an identifier), is a number; any other
 * column with a value frequent enough to have a code of its own is a category. Identifiers, free
 * text and timestamps have no frequent value and drop out. `undated: false` leaves out attributes
 * with no date of their own. Sources must be prepared.
 */
export async function selectAttributes(wh: Warehouse, o: { undated: boolean }): Promise<AttributeFeature[]> {
  const rows = await wh.all<Candidate>(CANDIDATES_SQL, { min_count: MIN_LEVEL_COUNT });
  const out: AttributeFeature[] = [];
  for (const c of rows) {
    if (!o.undated && !c.dated) continue;
    // An attribute some invoices lack has "none" for a value too: a flag given only when set still tells.
    const nValues = Number(c.n_values) + (Number(c.n_rows) < Number(c.n_invoices) ? 1 : 0);
    if (nValues < 2) continue;
    const levels = [...(c.frequent_values ?? [])].map(String);
    const base = { entity: c.entity, attribute: c.attribute, dated: Boolean(c.dated) };
    if (c.all_numbers && Number(c.n_values) > MAX_LEVELS) {
      // A number on (nearly) every invoice of its own is an identifier, not a measure.
      if (Number(c.n_values) < Number(c.n_rows) * 0.95) out.push({ ...base, name: `num:${c.entity}.${c.attribute}`, kind: 'number', levels: [] });
    } else if (levels.length) {
      out.push({ ...base, name: `attr:${c.entity}.${c.attribute}`, kind: 'category', levels: levels.slice(0, MAX_LEVELS) });
    }
  }
  return out.slice(0, MAX_ATTRIBUTES);
}

const OUTCOMES_SQL = riskSql('attribute_outcomes.sql');
const DAILY_SQL = riskSql('attribute_daily.sql');
const FEATURES_SQL = riskSql('attribute_features.sql');

/** The files whose SQL makes the counts of `countOutcomes`: other SQL, other counts. */
export const COUNTS_SQL = { OUTCOMES_SQL, DAILY_SQL };

/**
 * Temp tables `risk_attr_spec` (idx, entity, attribute, kind) and `risk_attr_vocab` (idx, value): `attrs` (idx = its
 * position) and their codes, as bound rows, never spliced into SQL: attribute names and values come from the export.
 */
export async function writeSpec(wh: Warehouse, attrs: AttributeFeature[]): Promise<void> {
  await wh.run('create or replace temp table risk_attr_spec (idx integer, entity varchar, attribute varchar, kind varchar)');
  await wh.run('create or replace temp table risk_attr_vocab (idx integer, value varchar)');
  const spec = await wh.conn.createAppender('risk_attr_spec', 'main', 'temp');
  const vocab = await wh.conn.createAppender('risk_attr_vocab', 'main', 'temp');
  attrs.forEach((a, idx) => {
    spec.appendInteger(idx);
    spec.appendVarchar(a.entity);
    spec.appendVarchar(a.attribute);
    spec.appendVarchar(a.kind);
    spec.endRow();
    for (const level of a.levels) {
      vocab.appendInteger(idx);
      vocab.appendVarchar(level);
      vocab.endRow();
    }
  });
  spec.closeSync();
  vocab.closeSync();
}

/** The latest as-of date of temp table risk_targets: outcomes known after it count for no target. */
export const TARGETS_UNTIL = '(select max(as_of) from risk_targets)';

/**
 * Counts outcomes known each day, from `from` to the latest target date: of every invoice into temp table
 * `${into}_known` (known_on, n, n_late), and per value of each category attribute of temp table `risk_attr_daily_spec`
 * (entity, attribute, from_day), from its from_day on, into temp table `into` (entity, attribute, value, known_on, n,
 * n_late; sql/risk/attribute_daily.sql).
 */
export async function countOutcomes(wh: Warehouse, lateDays: number, from: string, into: string): Promise<void> {
  await wh.run(
    `create or replace temp table risk_attr_outcomes as select * from (${OUTCOMES_SQL})
     where known_on >= $from::date and known_on <= ${TARGETS_UNTIL}`,
    { late_days: lateDays, from },
  );
  await wh.run(`create or replace temp table ${into}_known as
    select known_on, count(*) as n, count(*) filter (where is_late) as n_late from risk_attr_outcomes group by known_on`);
  await wh.run(`create or replace temp table ${into} as ${DAILY_SQL}`);
  await wh.run('drop table temp.risk_attr_outcomes');
}

/** Temp table risk_attr_daily_spec (entity, attribute, from_day): the category attributes of temp table risk_attr_spec, each counted from `from`. */
async function countFrom(wh: Warehouse, from: string): Promise<void> {
  await wh.run(
    `create or replace temp table risk_attr_daily_spec as
     select distinct entity, attribute, $from::date as from_day from risk_attr_spec where kind = 'category'`,
    { from },
  );
}

/**
 * Temp table `risk_attr_values` (rn, idx, v): each target of `risk_targets` and feature of temp table risk_attr_spec,
 * as known on the target's as-of date, from the outcomes known each day in temp tables `risk_attr_daily` (per value)
 * and `risk_attr_daily_known` (of every invoice), which it drops.
 */
export async function encodeAttributes(wh: Warehouse): Promise<void> {
  await wh.run(`create or replace temp table risk_attr_values as ${FEATURES_SQL}`);
  await wh.run('drop table temp.risk_attr_daily_known; drop table temp.risk_attr_daily; drop table temp.risk_attr_daily_spec');
}

/**
 * Materialises temp table `risk_attr_values` (rn, idx, v): each target of `risk_targets` and
 * feature of `attrs` (idx = its position), as known on the target's as-of date, counting every outcome of the history.
 */
export async function buildAttributeFeatures(wh: Warehouse, attrs: AttributeFeature[], lateDays: number): Promise<void> {
  await writeSpec(wh, attrs);
  await countFrom(wh, '0001-01-01');
  await countOutcomes(wh, lateDays, '0001-01-01', 'risk_attr_daily');
  await encodeAttributes(wh);
}
