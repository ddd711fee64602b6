/** The rows one customer's ledger produces, in the generator's own units (day numbers, integer cents). */

import type { Channel, Currency } from './catalog.ts';

export type DocumentKind = 'invoice' | 'credit_note' | 'debit_note';
export type DocumentStatus = 'open' | 'paid' | 'written_off' | 'legal';

export interface DocumentRow {
  id: string;
  kind: DocumentKind;
  date: number;
  due: number;
  /** Always positive here; dialects choose how to sign credit notes. */
  cents: number;
  currency: Currency;
  status: DocumentStatus;
  disputed: boolean;
  /** The invoice a credit or debit note adjusts; '' for invoices. */
  reference: string;
  description: string;
  /** What the customer still owes once credit notes are netted (generator bookkeeping). */
  owed: number;
  /** Day of the last credit note against this document: the rest is paid after it (generator bookkeeping). */
  creditedOn?: number;
  /** The dispute the customer will raise on this invoice, if any (generator bookkeeping). */
  dispute: PlannedDispute | null;
}

/** A dispute decided when the invoice is issued, so a credit note can settle it later. */
export interface PlannedDispute {
  opened: number;
  /** Null while unresolved at the end date. */
  resolved: number | null;
  cents: number;
  reason: string;
  /** Resolved in the customer's favour: a credit note for `cents` follows. */
  credited: boolean;
}

export interface PaymentRow {
  id: string;
  /** '' for cash received on account and not applied to any document. */
  invoiceId: string;
  date: number;
  cents: number;
  currency: Currency;
  method: string;
  reference: string;
}

export interface DisputeRow {
  id: string;
  invoiceId: string;
  opened: number;
  resolved: number | null;
  cents: number;
  reason: string;
  status: 'open' | 'resolved';
}

export interface PromiseRow {
  id: string;
  invoiceId: string;
  made: number;
  promised: number;
  cents: number;
  status: 'kept' | 'broken' | 'open';
}

export interface ActivityRow {
  id: string;
  invoiceId: string;
  date: number;
  channel: Channel;
  outcome: string;
  notes: string;
}

export interface Ledger {
  documents: DocumentRow[];
  payments: PaymentRow[];
  disputes: DisputeRow[];
  promises: PromiseRow[];
  activities: ActivityRow[];
}

/** Running numbers of every id series, shared by all customers so ids are unique across files. */
export interface IdCounters {
  invoice: number;
  creditNote: number;
  debitNote: number;
  receipt: number;
  dispute: number;
  promise: number;
  activity: number;
}

/** How wide the numeric part of each id is: 7 digits, more when the run is bigger. */
export interface IdWidths {
  document: number;
  other: number;
}

export function newCounters(): IdCounters {
  return { invoice: 0, creditNote: 0, debitNote: 0, receipt: 0, dispute: 0, promise: 0, activity: 0 };
}

/** e.g. seriesId('F-', 123, 7) === 'F-0000123'. */
export function seriesId(prefix: string, n: number, width: number): string {
  return prefix + String(n).padStart(width, '0');
}
