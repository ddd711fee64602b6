/**
 * Fields an export lacks that another of its columns can stand in for, so that a common layout
 * still loads as what it is, and says so.
 *
 * One today: an open-items report ("cartera por vencimientos": folio, customer, due date, amount,
 * balance) has no issue date. Its due date stands in for the invoice date: each item then counts
 * from its due date, which ages it exactly by due date (the default basis), and the load warns.
 */
import type { EntitySpec } from '../canonical/entities.ts';
import type { ColumnMapping } from './mapping.ts';

/** Canonical field -> the canonical field whose column stands in for it. */
export type StandIns = Record<string, string>;

/** The warning an open-items report gets (once, on its header line). */
export const ISSUE_DATE_STAND_IN = 'no issue date in the export: the due date stands in for invoice_date (an open-items report)';

/**
 * The mapping with the due date's column also feeding `invoice_date` when an invoices export has a
 * due date and no issue date; any other mapping is returned as it is.
 *
 * @example withStandIns(ENTITIES.invoices, { customer_id: 'Cliente', due_date: 'Vencimiento', amount: 'Importe' })
 *   // { customer_id: 'Cliente', due_date: 'Vencimiento', amount: 'Importe', invoice_date: 'Vencimiento' }
 */
export function withStandIns(entity: EntitySpec, mapping: ColumnMapping): ColumnMapping {
  if (entity.name !== 'invoices' || mapping.invoice_date || !mapping.due_date) return mapping;
  return { ...mapping, invoice_date: mapping.due_date };
}

/**
 * Which fields of a mapping are stood in for. A mapping that feeds the issue and due dates from one
 * column (inferred here, or saved in a profile from such a load) has the due date standing in.
 */
export function standInsOf(entity: EntitySpec, mapping: ColumnMapping): StandIns {
  return entity.name === 'invoices' && mapping.invoice_date && mapping.invoice_date === mapping.due_date ? { invoice_date: 'due_date' } : {};
}
