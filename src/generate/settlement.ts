import { CURRENCIES, PAYMENT_METHODS, type Behaviour } from './catalog.ts';
import type { Customer, Horizon } from './customers.ts';
import { isoOf } from './days.ts';
import { seriesId, type DisputeRow, type DocumentRow, type IdCounters, type IdWidths, type PaymentRow } from './ledger-types.ts';
import type { Prng } from './prng.ts';

/** Share of documents each behaviour pays in two or three instalments. */
const INSTALMENT_SHARE: Record<Behaviour, number> = {
  punctual: 0.05,
  slow_but_sure: 0.12,
  erratic: 0.2,
  chronic_late: 0.25,
  defaulting: 0.2,
};
/** Cash received in the last weeks sometimes sits on account before it is applied. */
const UNAPPLIED_WINDOW_DAYS = 90;
const UNAPPLIED_SHARE = 0.012;

/** One receivable document's money after settlement: what was applied to it, and when it closed. */
export interface Settlement {
  doc: DocumentRow;
  /** Applied payments up to the end date, by date (write-off included). */
  applied: { date: number; cents: number }[];
  /** Day the balance reached zero, or null if it is still owed at the end date. */
  settledDay: number | null;
}

interface PlannedLine {
  date: number;
  cents: number;
  doc: DocumentRow;
  method: string;
  unapplied: boolean;
  order: number;
}

/**
 * Pass 2 of a customer's ledger: when and how each invoice and debit note is paid (or disputed,
 * paid in instalments, left with a remainder, sent to legal, written off), the disputes, the
 * payment rows grouped into receipts, and each document's status as of the end date.
 */
export function settle(
  rng: Prng,
  customer: Customer,
  docs: DocumentRow[],
  horizon: Horizon,
  ids: IdCounters,
  widths: IdWidths,
): { settlements: Settlement[]; payments: PaymentRow[]; disputes: DisputeRow[] } {
  const settlements: Settlement[] = [];
  const disputes: DisputeRow[] = [];
  const lines: PlannedLine[] = [];
  for (const doc of docs) {
    if (doc.kind === 'credit_note') continue;
    const before = lines.length;
    const settlement = settleOne(rng, customer, doc, horizon, ids, widths, disputes, lines);
    for (let i = before; i < lines.length; i++) lines[i].order = i;
    settlements.push(settlement);
  }
  return { settlements, payments: receipts(rng, customer, lines, ids, widths), disputes };
}

function settleOne(
  rng: Prng,
  c: Customer,
  doc: DocumentRow,
  horizon: Horizon,
  ids: IdCounters,
  widths: IdWidths,
  disputes: DisputeRow[],
  lines: PlannedLine[],
): Settlement {
  const settlement: Settlement = { doc, applied: [], settledDay: null };
  const dispute = doc.dispute;
  if (dispute) {
    doc.disputed = true;
    disputes.push({
      id: seriesId('D-', ++ids.dispute, widths.other),
      invoiceId: doc.id,
      opened: dispute.opened,
      resolved: dispute.resolved,
      cents: dispute.cents,
      reason: dispute.reason,
      status: dispute.resolved === null ? 'open' : 'resolved',
    });
  }
  if (doc.owed <= 0) {
    // Fully credited: nothing left to collect.
    doc.status = 'paid';
    settlement.settledDay = doc.date;
    return settlement;
  }
  let payDay: number | null = doc.due + lateness(rng, c.behaviour) + (c.segment === 'Gobierno' ? rng.int(0, 25) : 0);
  // The customer pays what is left after a credit note, not before it: paying first would leave the
  // later credit as a negative balance.
  payDay = Math.max(payDay, doc.date, doc.creditedOn ?? doc.date);
  // Nobody pays a disputed invoice before the dispute is settled.
  if (dispute) payDay = dispute.resolved === null ? null : Math.max(payDay, dispute.resolved + rng.int(1, 20));

  let neverPays = false;
  if (c.defaultDay !== null && payDay !== null && payDay > c.defaultDay) neverPays = true;
  if (c.behaviour === 'chronic_late' && rng.chance(0.03)) neverPays = true;
  if (c.behaviour === 'erratic' && rng.chance(0.015)) neverPays = true;

  // Pesos chilenos have no cents: every part of a CLP payment is whole pesos.
  const unit = CURRENCIES[doc.currency].wholeUnits ? 100 : 1;
  const plan: { date: number; cents: number }[] = [];
  if (neverPays) {
    // Some debtors pay a first slice before they stop paying altogether.
    if (rng.chance(0.3)) plan.push({ date: Math.max(doc.due + rng.int(5, 60), doc.creditedOn ?? doc.date), cents: Math.max(unit, roundTo(doc.owed * (0.2 + 0.3 * rng.next()), unit)) });
  } else if (payDay !== null) {
    plan.push(...instalments(rng, c.behaviour, doc.owed, payDay, unit));
  }

  let left = doc.owed;
  for (const p of plan) {
    const cents = Math.min(p.cents, left);
    if (p.date > horizon.end || cents <= 0) continue;
    const unapplied = p.date > horizon.end - UNAPPLIED_WINDOW_DAYS && rng.chance(UNAPPLIED_SHARE);
    lines.push({ date: p.date, cents, doc, method: paymentMethod(rng, c), unapplied, order: 0 });
    if (unapplied) continue;
    left -= cents;
    settlement.applied.push({ date: p.date, cents });
  }

  let writtenOff = false;
  let legal = false;
  if (left > 0 && neverPays) {
    if (c.behaviour === 'defaulting' && doc.due + 180 <= horizon.end && rng.chance(0.75)) {
      const day = Math.min(horizon.end, doc.due + rng.int(180, 420));
      lines.push({ date: day, cents: left, doc, method: 'write_off', unapplied: false, order: 0 });
      settlement.applied.push({ date: day, cents: left });
      left = 0;
      writtenOff = true;
    } else if (doc.due + 90 <= horizon.end) {
      legal = rng.chance(c.behaviour === 'defaulting' ? 0.6 : 0.35);
    }
  }
  if (left === 0) settlement.settledDay = settlement.applied[settlement.applied.length - 1].date;
  doc.status = left === 0 ? (writtenOff ? 'written_off' : 'paid') : legal ? 'legal' : 'open';
  return settlement;
}

/** Days after the due date a customer of this behaviour pays (negative: early). */
function lateness(rng: Prng, behaviour: Behaviour): number {
  switch (behaviour) {
    case 'punctual':
      return rng.chance(0.8) ? rng.int(-8, 2) : rng.int(0, 10);
    case 'slow_but_sure':
      // Late by habit, not by trouble: now and then on time, rarely more than a few months late.
      return rng.chance(0.2) ? rng.int(-3, 0) : Math.min(120, 5 + Math.round(rng.exponential(15)));
    case 'erratic': {
      const r = rng.next();
      return r < 0.5 ? rng.int(-5, 5) : r < 0.85 ? rng.int(5, 60) : rng.int(60, 200);
    }
    case 'chronic_late':
      return Math.min(365, 30 + Math.round(rng.exponential(40)));
    case 'defaulting':
      return 15 + Math.round(rng.exponential(30));
  }
}

/**
 * One payment, or two or three instalments in multiples of `unit` cents; a few leave a tiny
 * remainder (cents, or one peso) that nobody chases.
 */
function instalments(rng: Prng, behaviour: Behaviour, owed: number, payDay: number, unit: number): { date: number; cents: number }[] {
  if (owed < 1000 * unit || !rng.chance(INSTALMENT_SHARE[behaviour])) return [{ date: payDay, cents: owed }];
  const parts = rng.chance(0.6) ? 2 : 3;
  const remainder = rng.chance(0.08) ? (unit === 1 ? rng.int(1, 99) : unit) : 0;
  let left = owed - remainder;
  const out: { date: number; cents: number }[] = [];
  let day = payDay;
  for (let k = 0; k < parts; k++) {
    const cents = k === parts - 1 ? left : roundTo(left * (0.25 + 0.35 * rng.next()), unit);
    out.push({ date: day, cents });
    left -= cents;
    day += rng.int(7, 30);
  }
  return out;
}

function roundTo(cents: number, unit: number): number {
  return Math.round(cents / unit) * unit;
}

function paymentMethod(rng: Prng, c: Customer): string {
  return rng.chance(0.85) ? c.usualMethod : rng.weighted(PAYMENT_METHODS);
}

/**
 * Groups lines paid the same day, in the same currency and by the same method into one receipt:
 * a receipt covering several documents becomes several rows P-<receipt>-<line>.
 */
function receipts(rng: Prng, c: Customer, lines: PlannedLine[], ids: IdCounters, widths: IdWidths): PaymentRow[] {
  lines.sort((a, b) => a.date - b.date || a.order - b.order);
  const out: PaymentRow[] = [];
  let prev: PlannedLine | undefined;
  let receipt = '';
  let reference = '';
  let line = 0;
  for (const l of lines) {
    const sameReceipt =
      prev !== undefined && l.method !== 'write_off' && prev.method === l.method && prev.date === l.date && prev.doc.currency === l.doc.currency;
    if (!sameReceipt) {
      receipt = seriesId('P-', ++ids.receipt, widths.other);
      reference = paymentReference(rng, c, l.method, l.date);
      line = 0;
    }
    out.push({
      id: `${receipt}-${++line}`,
      invoiceId: l.unapplied ? '' : l.doc.id,
      date: l.date,
      cents: l.cents,
      currency: l.doc.currency,
      method: l.method,
      reference,
    });
    prev = l;
  }
  return out;
}

function paymentReference(rng: Prng, c: Customer, method: string, day: number): string {
  const n = (k: number) => String(rng.int(0, 10 ** k - 1)).padStart(k, '0');
  switch (method) {
    case 'transfer':
      return c.country === 'MX' ? `SPEI ${n(8)}` : `TRF ${n(8)}`;
    case 'check':
      return `CHQ ${n(6)}`;
    case 'card':
      return `TDC ****${n(4)}`;
    case 'cash':
      return `EFE ${n(5)}`;
    default:
      return `Acta de comité ${isoOf(day).slice(0, 4)}-${n(3)}`;
  }
}
