import { BUCKETS_SQL, CUSTOMERS_SQL, ITEMS_SQL, MOVEMENTS_SQL, OPTIONS_SQL, scopeSql } from './sql.ts';
import type { BucketTotal, CurrencySection, Movement, OpenItem, Read, StatementCustomer, StatementData } from './types.ts';

/** Days of payments and credits a statement shows, ending on its as-of. */
export const RECENT_DAYS = 90;

/** Whose statements to read: one customer, a collector's customers, or all; `openOnly` keeps those with an open item at the as-of. */
export interface StatementScope {
  customer?: string;
  collector?: string;
  openOnly?: boolean;
}

type Row = Record<string, unknown>;
const text = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** Rows grouped by a column, keeping their order. */
function groupBy(rows: Row[], key: string): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  for (const r of rows) {
    const k = String(r[key]);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/**
 * The statements of every customer in `scope` at `asOf` (checked already: see `statementAsOf`), in
 * customer id order: one section per currency a customer has open items or recent movements in.
 *
 * @example
 *   const all = await readStatements((sql, p) => wh.all(sql, p), '2024-06-30', { collector: 'Ana Ruiz', openOnly: true });
 */
export async function readStatements(read: Read, asOf: string, scope: StatementScope): Promise<StatementData[]> {
  const params = [asOf, scope.customer ?? null, scope.collector ?? null];
  const inScope = scopeSql(scope.openOnly === true);
  const customers = await read(CUSTOMERS_SQL(inScope), params);
  if (!customers.length) return [];
  const items = groupBy(await read(ITEMS_SQL(inScope), params), 'customer_id');
  const buckets = groupBy(await read(BUCKETS_SQL(inScope), params), 'customer_id');
  const movements = groupBy(await read(MOVEMENTS_SQL(inScope), [...params, RECENT_DAYS]), 'customer_id');
  const [options] = await read(OPTIONS_SQL, [asOf, RECENT_DAYS]);
  return customers.map((c) => {
    const id = String(c.customer_id);
    return {
      asOf,
      basis: options.basis === 'invoice' ? 'invoice' : 'due',
      recentDays: RECENT_DAYS,
      since: String(options.since),
      customer: customer(c),
      sections: sections(items.get(id) ?? [], buckets.get(id) ?? [], movements.get(id) ?? []),
    };
  });
}

/**
 * One customer's statement at `asOf`, or undefined when no customer has that id.
 *
 * @example
 *   const data = await readStatement((sql, p) => wh.all(sql, p), 'C1', '2024-06-30');
 */
export async function readStatement(read: Read, customerId: string, asOf: string): Promise<StatementData | undefined> {
  return (await readStatements(read, asOf, { customer: customerId }))[0];
}

/** A customer's sections, one per currency, in currency order. */
function sections(items: Row[], buckets: Row[], movements: Row[]): CurrencySection[] {
  const byCurrency = (rows: Row[]) => groupBy(rows, 'currency');
  const [i, b, m] = [byCurrency(items), byCurrency(buckets), byCurrency(movements)];
  const currencies = [...new Set([...b.keys(), ...m.keys()])].sort();
  return currencies.map((currency): CurrencySection => {
    const aging = b.get(currency) ?? [];
    const moved = m.get(currency) ?? [];
    return {
      currency,
      items: (i.get(currency) ?? []).map(openItem),
      buckets: aging.map((r): BucketTotal => ({ bucket: String(r.bucket), order: Number(r.bucket_order), amount: String(r.amount) })),
      balance: String(aging[0]?.balance ?? '0.00'),
      overdue: String(aging[0]?.overdue ?? '0.00'),
      movements: moved.map(movement),
      movementsTotal: String(moved[0]?.total ?? '0.00'),
    };
  });
}

function customer(c: Row): StatementCustomer {
  return {
    id: String(c.customer_id),
    name: text(c.name),
    taxId: text(c.tax_id),
    email: text(c.email),
    phone: text(c.phone),
    country: text(c.country),
    collector: text(c.collector),
    paymentTermsDays: c.payment_terms_days === null ? null : Number(c.payment_terms_days),
  };
}

function openItem(r: Row): OpenItem {
  const unapplied = r.bucket === 'unapplied';
  return {
    document: String(r.document),
    type: String(r.document_type ?? 'invoice'),
    invoiceDate: text(r.invoice_date),
    dueDate: text(r.due_date),
    daysPastDue: unapplied || r.days_past_due === null ? null : Number(r.days_past_due),
    bucket: String(r.bucket),
    outstanding: String(r.outstanding),
  };
}

function movement(r: Row): Movement {
  return {
    kind: r.kind === 'credit_note' ? 'credit_note' : 'payment',
    date: String(r.date),
    document: String(r.document),
    appliedTo: text(r.applied_to),
    amount: String(r.amount),
  };
}

/** The collectors the customers have, sorted: what an unknown `--collector` is told to choose from. */
export async function collectorNames(read: Read): Promise<string[]> {
  const rows = await read(`select distinct collector from dim_customers where collector is not null order by 1`);
  return rows.map((r) => String(r.collector));
}
