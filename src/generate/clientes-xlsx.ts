import { writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Customer } from './customers.ts';
import { dateOf } from './days.ts';
import { fixZipTimestamps } from './zip-timestamps.ts';

export const CLIENTES_HEADERS = [
  'Clave Cliente',
  'Razón Social',
  'RFC',
  'País',
  'Segmento',
  'Giro',
  'Límite de Crédito',
  'Días de Crédito',
  'Cobrador',
  'Correo',
  'Teléfono',
  'Cliente Desde',
] as const;

/**
 * Writes the customer master as an ERP's Excel export: one sheet "Clientes", Spanish headers,
 * limits as numbers and dates as real Excel dates. Document properties and zip stamps are set
 * to `asOf` so the file is byte-identical across runs.
 */
export async function writeClientesXlsx(path: string, customers: Customer[], asOf: Date): Promise<number> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'cartera generate';
  wb.lastModifiedBy = 'cartera generate';
  wb.created = asOf;
  wb.modified = asOf;
  const ws = wb.addWorksheet('Clientes');
  ws.addRow([...CLIENTES_HEADERS]);
  ws.getRow(1).font = { bold: true };
  for (const c of customers) {
    ws.addRow([
      c.id,
      c.name,
      c.taxId,
      c.country,
      c.segment,
      c.industry,
      c.creditLimitCents / 100,
      c.termsDays,
      c.collector,
      c.email,
      c.phone,
      dateOf(c.sinceDay),
    ]);
  }
  ws.getColumn(7).numFmt = '#,##0.00';
  ws.getColumn(12).numFmt = 'dd/mm/yyyy';
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  writeFileSync(path, fixZipTimestamps(buf, asOf));
  return buf.length;
}
