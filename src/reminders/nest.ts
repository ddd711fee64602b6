/** One line of sql/reminders/due_reminders.sql, JSON-safe (money as decimal strings, dates as YYYY-MM-DD). */
export type ReminderLine = Record<string, string | number | null>;

/** A reminder as the API and the webhook give it: one customer, one level, its invoices, and totals per currency. */
export interface Reminder {
  reminder_id: string;
  date: string;
  customer_id: string;
  customer_name: string | null;
  contact: { email: string | null; phone: string | null };
  country: string | null;
  locale: string;
  language: string;
  window: { time_zone: string; start: string; end: string };
  collector: string | null;
  segment: string | null;
  cadence: string;
  level: string;
  /** The level's name in the customer's language (Spanish or English), from the cadence. */
  level_label: string;
  template_key: string;
  invoices: { invoice_id: string; invoice_date: string; due_date: string; days_from_due: number; currency: string; amount: string; outstanding: string }[];
  totals: { currency: string; outstanding: string }[];
}

/**
 * One object per reminder from its lines (which come grouped, a reminder's lines together).
 *
 * @example
 *   nestReminders((await dueReminderLines(read, s)).getRowObjectsJson() as ReminderLine[])
 */
export function nestReminders(lines: ReminderLine[]): Reminder[] {
  const byId = new Map<string, Reminder>();
  for (const l of lines) {
    const id = String(l.reminder_id);
    let r = byId.get(id);
    if (!r) {
      r = {
        reminder_id: id,
        date: String(l.date),
        customer_id: String(l.customer_id),
        customer_name: text(l.customer_name),
        contact: { email: text(l.email), phone: text(l.phone) },
        country: text(l.country),
        locale: String(l.locale),
        language: String(l.language),
        window: { time_zone: String(l.time_zone), start: String(l.window_start), end: String(l.window_end) },
        collector: text(l.collector),
        segment: text(l.segment),
        cadence: String(l.cadence),
        level: String(l.level),
        level_label: String(l.level_label),
        template_key: String(l.template_key),
        invoices: [],
        totals: [],
      };
      byId.set(id, r);
    }
    r.invoices.push({
      invoice_id: String(l.invoice_id),
      invoice_date: String(l.invoice_date),
      due_date: String(l.due_date),
      days_from_due: Number(l.days_from_due),
      currency: String(l.currency),
      amount: String(l.amount),
      outstanding: String(l.outstanding),
    });
    // Every line carries its currency's total (summed in SQL, as DECIMAL): keep one per currency.
    if (!r.totals.some((t) => t.currency === l.currency)) r.totals.push({ currency: String(l.currency), outstanding: String(l.total_in_currency) });
  }
  return [...byId.values()];
}

const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
