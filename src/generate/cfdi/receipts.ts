/**
 * A ledger's payment rows grouped back into receipts, each line with the invoice's balance before it
 * and its instalment number, as a payment complement states them. Write-offs and cash on account
 * are left out: neither has a CFDI (a write-off is the company's own entry, and cash not applied to
 * an invoice has no DoctoRelacionado to name).
 */
import type { Customer } from '../customers.ts';
import type { Ledger } from '../ledger-types.ts';
import type { Receipt } from './pago.ts';

/** The receipt a payment row belongs to: 'P-0000042-2' is line 2 of receipt P-0000042. */
function receiptId(paymentId: string): string {
  return paymentId.slice(0, paymentId.lastIndexOf('-'));
}

/** The receipts of one customer's ledger, in the ledger's order. */
export function receiptsOf(c: Customer, ledger: Ledger): Receipt[] {
  // Credit notes are all dated on or before the payments of their invoice, so a balance starts net of them.
  const balance = new Map(ledger.documents.filter((d) => d.kind !== 'credit_note').map((d) => [d.id, d.owed]));
  const paid = new Map<string, number>();
  const out: Receipt[] = [];
  for (const p of ledger.payments) {
    if (p.method === 'write_off' || p.invoiceId === '') continue;
    const id = receiptId(p.id);
    let r = out[out.length - 1];
    if (r?.id !== id) {
      const paymentCurrency = c.country === 'MX' && p.currency === 'USD' ? 'MXN' : p.currency;
      r = { id, day: p.date, method: p.method, currency: p.currency, paymentCurrency, lines: [] };
      out.push(r);
    }
    const before = balance.get(p.invoiceId)!;
    const installment = (paid.get(p.invoiceId) ?? 0) + 1;
    r.lines.push({ invoiceId: p.invoiceId, cents: p.cents, balanceBefore: before, installment });
    balance.set(p.invoiceId, before - p.cents);
    paid.set(p.invoiceId, installment);
  }
  return out;
}
