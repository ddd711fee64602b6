import type { Company } from './company.ts';
import { formatsFor } from '../locale/formats.ts';
import { LABELS } from './labels.ts';
import type { StatementLocale } from './locale.ts';
import type { CurrencySection, StatementData } from './types.ts';

/**
 * A statement laid out and formatted, ready to draw: the HTML page and the PDF draw the same
 * layout, so both show the same words and figures.
 */
export interface Layout {
  lang: string;
  title: string;
  asOf: string;
  /** The seller: its name first, then its detail lines. */
  seller: string[];
  customer: { name: string; fields: Field[] };
  sections: LayoutSection[];
  /** Shown when the customer has no section at all. */
  empty?: string;
  notes: string[];
  /** The page footer's text for page n of m (the PDF numbers its pages). */
  page: (n: number, of: number) => string;
}

export interface Field {
  label: string;
  value: string;
}

export interface LayoutSection {
  heading: string;
  totals: Field[];
  tables: Table[];
}

export interface Column {
  label: string;
  align: 'left' | 'right';
  /** Share of the table's width. */
  width: number;
}

export interface Table {
  title: string;
  columns: Column[];
  rows: string[][];
  /** A last, bold row. */
  total?: string[];
  /** What stands in place of the rows when there are none. */
  empty: string;
}

const left = (label: string, width: number): Column => ({ label, align: 'left', width });
const right = (label: string, width: number): Column => ({ label, align: 'right', width });

/** Lays out a statement in a locale, with the seller's details when there are any. */
export function layoutStatement(data: StatementData, locale: StatementLocale, company: Company | undefined): Layout {
  const t = LABELS[locale.lang];
  const f = formatsFor(locale.tag);
  const c = data.customer;
  const asOf = f.date(data.asOf);
  const field = (label: string, value: string | null | undefined): Field[] => (value ? [{ label, value }] : []);
  const instructions = company?.paymentInstructions?.[locale.lang];
  return {
    lang: locale.lang,
    title: t.title,
    asOf: t.asOf(asOf),
    seller: company
      ? [company.name, ...field(t.taxId, company.taxId).map((x) => `${x.label}: ${x.value}`), ...company.address, ...[company.email, company.phone, company.website].filter((v): v is string => !!v)]
      : [],
    customer: {
      name: c.name ?? c.id,
      fields: [
        ...field(t.customerId, c.id),
        ...field(t.taxId, c.taxId),
        ...field(t.email, c.email),
        ...field(t.phone, c.phone),
        ...field(t.terms, c.paymentTermsDays === null ? null : t.days(f.integer(c.paymentTermsDays))),
        ...field(t.collector, c.collector),
      ],
    },
    sections: data.sections.map((s) => layoutSection(s, data, locale)),
    empty: data.sections.length ? undefined : t.noActivity,
    notes: [t.currencyNote, ...(instructions ? [`${t.paymentInstructions}: ${instructions}`] : [])],
    page: t.page,
  };
}

function layoutSection(s: CurrencySection, data: StatementData, locale: StatementLocale): LayoutSection {
  const t = LABELS[locale.lang];
  const f = formatsFor(locale.tag);
  const money = (amount: string) => f.money(amount, s.currency);
  // The unapplied column only when there is unapplied cash or credit: most customers have none.
  const buckets = s.buckets.filter((b) => b.bucket !== 'unapplied' || !/^-?0(\.0+)?$/.test(b.amount));
  const items: Table = {
    title: t.openItems,
    columns: [left(t.document, 14), left(t.type, 17), left(t.date, 13), left(t.dueDate, 13), right(t.daysPastDue[data.basis], 13), left(t.aging, 14), right(t.amount, 16)],
    rows: s.items.map((i) => [
      i.document,
      t.documentTypes[i.type] ?? i.type,
      f.date(i.invoiceDate),
      i.bucket === 'unapplied' ? '' : f.date(i.dueDate),
      // Not yet due is 0 days past due (the aging keeps the negative days until the due date).
      f.integer(i.daysPastDue === null ? null : Math.max(0, i.daysPastDue)),
      t.bucket(i.bucket),
      money(i.outstanding),
    ]),
    total: s.items.length ? [t.total, '', '', '', '', '', money(s.balance)] : undefined,
    empty: t.noItems,
  };
  const aging: Table = {
    title: t.agingSummary,
    columns: [...buckets.map((b) => right(t.bucket(b.bucket), 10)), right(t.total, 12)],
    rows: s.items.length ? [[...buckets.map((b) => money(b.amount)), money(s.balance)]] : [],
    empty: t.noItems,
  };
  const recent: Table = {
    title: t.recent(f.integer(data.recentDays), f.date(data.since)),
    columns: [left(t.date, 16), left(t.type, 20), left(t.document, 20), left(t.appliedTo, 20), right(t.amount, 24)],
    rows: s.movements.map((m) => [f.date(m.date), t.movementTypes[m.kind], m.document, m.appliedTo ?? '', money(m.amount)]),
    total: s.movements.length ? [t.total, '', '', '', money(s.movementsTotal)] : undefined,
    empty: t.noMovements,
  };
  return {
    heading: t.currency(s.currency),
    totals: [
      { label: t.balance(f.date(data.asOf)), value: money(s.balance) },
      { label: t.overdue, value: money(s.overdue) },
    ],
    tables: [items, aging, recent],
  };
}
