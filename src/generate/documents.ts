import { CREDIT_CONCEPTS, CURRENCIES, DEBIT_CONCEPTS, DISPUTE_REASONS, INVOICE_CONCEPTS, MONTH_WEIGHTS, type Currency } from './catalog.ts';
import type { Customer, Horizon } from './customers.ts';
import { weekdayOf, type DayFormats } from './days.ts';
import { seriesId, type DocumentRow, type IdCounters, type IdWidths, type PlannedDispute } from './ledger-types.ts';
import { toCents } from './money.ts';
import type { Prng } from './prng.ts';

const CREDIT_NOTE_SHARE = 0.03;
const DISPUTE_SHARE = 0.02;
/** Share of resolved disputes the customer wins, settled by a credit note. */
const DISPUTES_CREDITED = 0.5;
const DEBIT_NOTE_SHARE = 0.004;
/** Notes adjust one of the customer's recent invoices, not one from years ago. */
const RECENT_INVOICES = 25;
const WEEKDAY_WEIGHTS = [0.03, 1, 1, 1, 1, 0.95, 0.2];
const MAX_MONTH_WEIGHT = Math.max(...MONTH_WEIGHTS);

/**
 * Pass 1 of a customer's ledger: its documents in date order (invoices, credit notes against
 * recent invoices, rare debit notes), exactly `customer.documents` of them. Settlement comes later.
 */
export function makeDocuments(
  rng: Prng,
  customer: Customer,
  horizon: Horizon,
  days: DayFormats,
  ids: IdCounters,
  widths: IdWidths,
): DocumentRow[] {
  const first = Math.min(Math.max(customer.sinceDay, horizon.start), horizon.end - 30);
  // A defaulting customer's credit is blocked a few weeks after it stops paying.
  const last = customer.defaultDay === null ? horizon.end : Math.min(horizon.end, customer.defaultDay + rng.int(20, 70));
  const dates = issueDates(rng, customer.documents, first, last, days);
  const docs: DocumentRow[] = [];
  const invoices: DocumentRow[] = [];
  // Disputes won by the customer, waiting for the credit note that settles them.
  const toCredit: DocumentRow[] = [];
  for (const date of dates) {
    const r = rng.next();
    const target = invoices.length > 0 ? invoices[invoices.length - 1 - Math.floor(rng.next() * Math.min(RECENT_INVOICES, invoices.length))] : undefined;
    let doc: DocumentRow | undefined;
    const won = target && r < CREDIT_NOTE_SHARE ? toCredit.findIndex((d) => d.dispute!.resolved! <= date) : -1;
    if (won >= 0) {
      const [disputed] = toCredit.splice(won, 1);
      doc = creditNote(rng, disputed, date, ids, widths, disputed.dispute!.cents);
    } else if (target && r < CREDIT_NOTE_SHARE) {
      doc = creditNote(rng, target, date, ids, widths);
    } else if (target && r < CREDIT_NOTE_SHARE + DEBIT_NOTE_SHARE) {
      doc = debitNote(rng, target, date, ids, widths);
    }
    if (!doc) {
      doc = invoice(rng, customer, date, ids, widths);
      doc.dispute = planDispute(rng, doc, horizon.end);
      if (doc.dispute?.credited) toCredit.push(doc);
      invoices.push(doc);
    }
    docs.push(doc);
  }
  return docs;
}

/** `n` sorted issue days in [first, last], more in strong months and on weekdays. */
function issueDates(rng: Prng, n: number, first: number, last: number, days: DayFormats): number[] {
  const out = new Array<number>(n);
  const span = last - first + 1;
  for (let i = 0; i < n; i++) {
    for (;;) {
      const d = first + Math.floor(rng.next() * span);
      if (rng.next() * MAX_MONTH_WEIGHT < MONTH_WEIGHTS[days.month(d)] * WEEKDAY_WEIGHTS[weekdayOf(d)]) {
        out[i] = d;
        break;
      }
    }
  }
  return out.sort((a, b) => a - b);
}

function invoice(rng: Prng, c: Customer, date: number, ids: IdCounters, widths: IdWidths): DocumentRow {
  const currency: Currency = c.usdShare > 0 && rng.chance(c.usdShare) ? 'USD' : c.currency;
  const profile = CURRENCIES[currency];
  const cents = toCents(rng.logNormal(c.medianInvoiceMxn, 0.75) * profile.perMxn, profile.wholeUnits);
  // Now and then a deal is struck on other terms than the customer's usual ones.
  const terms = rng.chance(0.08) ? rng.pick([15, 30, 45, 60, 90]) : c.termsDays;
  return {
    id: seriesId('F-', ++ids.invoice, widths.document),
    kind: 'invoice',
    date,
    due: date + terms,
    cents,
    currency,
    status: 'open',
    disputed: false,
    reference: '',
    description: rng.pick(INVOICE_CONCEPTS),
    owed: cents,
    dispute: null,
  };
}

/** About one invoice in fifty is disputed a few days after issue; resolution takes weeks. */
function planDispute(rng: Prng, doc: DocumentRow, end: number): PlannedDispute | null {
  if (!rng.chance(DISPUTE_SHARE)) return null;
  const opened = doc.date + rng.int(3, 30);
  if (opened > end) return null;
  const resolvedAt = opened + 5 + Math.round(rng.exponential(25));
  const resolved = resolvedAt <= end ? resolvedAt : null;
  return {
    opened,
    resolved,
    cents: rng.chance(0.5) ? doc.cents : partOf(doc, 0.1 + 0.5 * rng.next()),
    reason: rng.pick(DISPUTE_REASONS),
    credited: resolved !== null && rng.chance(DISPUTES_CREDITED),
  };
}

/** A share of a document's amount, in whole pesos for currencies without cents. */
function partOf(doc: DocumentRow, share: number): number {
  const unit = CURRENCIES[doc.currency].wholeUnits ? 100 : 1;
  return Math.max(unit, Math.round((doc.cents * share) / unit) * unit);
}

/**
 * A credit note against `target`: for `amount` when it settles a dispute, else for part or all
 * of what is still owed. None if nothing is left to credit.
 */
function creditNote(rng: Prng, target: DocumentRow, date: number, ids: IdCounters, widths: IdWidths, amount?: number): DocumentRow | undefined {
  const cents = Math.min(amount ?? (rng.chance(0.2) ? target.owed : partOf(target, 0.05 + 0.55 * rng.next())), target.owed);
  if (cents <= 0) return undefined;
  target.owed -= cents;
  target.creditedOn = Math.max(target.creditedOn ?? date, date);
  return {
    id: seriesId('NC-', ++ids.creditNote, widths.document),
    kind: 'credit_note',
    date,
    due: date,
    cents,
    currency: target.currency,
    // A credit note is applied to the invoice it references the day it is issued.
    status: 'paid',
    disputed: false,
    reference: target.id,
    description: amount === undefined ? rng.pick(CREDIT_CONCEPTS) : 'Nota de crédito por disputa resuelta',
    owed: 0,
    dispute: null,
  };
}

function debitNote(rng: Prng, target: DocumentRow, date: number, ids: IdCounters, widths: IdWidths): DocumentRow {
  const cents = toCents((target.cents / 100) * (0.015 + 0.025 * rng.next()), CURRENCIES[target.currency].wholeUnits);
  return {
    id: seriesId('ND-', ++ids.debitNote, widths.document),
    kind: 'debit_note',
    date,
    due: date + 15,
    cents,
    currency: target.currency,
    status: 'open',
    disputed: false,
    reference: target.id,
    description: rng.pick(DEBIT_CONCEPTS),
    owed: cents,
    dispute: null,
  };
}
