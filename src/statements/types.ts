/**
 * A customer's statement of account as the warehouse states it, before any formatting: money as
 * DECIMAL text (never a JS number), dates as ISO text. `query.ts` reads it, `layout.ts` formats it.
 */

/** Reads rows of one bound query (the CLI's warehouse, or an API request's snapshot). */
export type Read = (sql: string, params?: (string | number | boolean | null)[]) => Promise<Record<string, unknown>[]>;

export interface StatementCustomer {
  id: string;
  name: string | null;
  taxId: string | null;
  email: string | null;
  phone: string | null;
  country: string | null;
  collector: string | null;
  paymentTermsDays: number | null;
}

/** An item open at the as-of: a document, or unapplied cash / credit (a negative balance). */
export interface OpenItem {
  document: string;
  /** invoice, debit_note, credit_note, or payment (unapplied cash). */
  type: string;
  invoiceDate: string | null;
  dueDate: string | null;
  /** Days past the due date (or since the invoice date, on the invoice basis); null for unapplied lines. */
  daysPastDue: number | null;
  /** The models' bucket label: current, 1-30, ..., 120+, unapplied. */
  bucket: string;
  outstanding: string;
}

/** One bucket of the aging summary (every bucket of the build, zero included). */
export interface BucketTotal {
  bucket: string;
  order: number;
  amount: string;
}

/** A payment received or a credit note issued in the recent window. */
export interface Movement {
  kind: 'payment' | 'credit_note';
  date: string;
  document: string;
  appliedTo: string | null;
  amount: string;
}

/** Everything of one currency: amounts of different currencies are never added together. */
export interface CurrencySection {
  currency: string;
  items: OpenItem[];
  buckets: BucketTotal[];
  balance: string;
  overdue: string;
  movements: Movement[];
  movementsTotal: string;
}

export interface StatementData {
  asOf: string;
  /** Whether days count from the due date or the invoice date (the build's aging basis). */
  basis: 'due' | 'invoice';
  /** The recent window: movements dated from `since` to `asOf`, both included (`recentDays` days). */
  recentDays: number;
  since: string;
  customer: StatementCustomer;
  sections: CurrencySection[];
}
