// CFDIs through the real `ingest` into a DuckDB file and a build. Every expected figure was read by
// hand from the fixtures' XML (test/fixtures/cfdi, sources in SOURCES.md there).
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../src/db/warehouse.ts';
import { runBuild } from '../../../src/models/index.ts';
import { ingestInto, tempDir } from '../helpers.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures/cfdi');
const HE_PPD = 'cfdi40_I_PPD_MXN_satcfdi_HE951128469_iva16_stamped.xml'; // 6D7434A6, 17852.75, 2020-01-01, PPD
const HE_PUE = 'cfdi40_I_PUE_MXN_satcfdi_HE951128469_iva16_stamped.xml'; // 6E546729, 17852.75, 2020-01-01, PUE
const HE_PAGO = 'cfdi40_P_pago20_satcfdi_pays_HE951128469_iva16.xml'; // 5B64ADA3 pays 6D7434A6 in full, 2020-01-02
const POT_I = 'cfdi33_I_PUE_MXN_real_POT9207213D6.xml'; // CEE4BE01, 2010.01, 2018-01-12, PUE, CONTADO
const POT_E = 'cfdi33_E_PUE_rel01_nodecfdi_handmade.xml'; // 1740.00, 2019-04-10, TipoRelacion 01 -> CEE4BE01, unstamped
const EKU_PPD = 'cfdi40_I_PPD_MXN_testCSD_stamped_finkok_sandbox.xml'; // F08A8B8C, 1191.95, 2024-06-15, PPD, to ICV060329BY0
const EKU_E = 'cfdi40_E_PUE_rel01_nodecfdi_handmade.xml'; // 1740.00, names CEE4BE01 (not loaded with EKU's files)
const EKU_CALC006 = 'cfdi40_P_pago20_cfdiutils_calc006_usd_pays_mxn.xml'; // 3 USD Pagos of MXN documents, no IdDocumento
const EKU_PARTIAL = 'cfdi40_P_pago20_cfdiutils_partial_signed.xml'; // EKU -> COSC8001137NA: 12000.00 and 3000.00 MXN
const ISD_I = 'cfdi40_I_PUE_MXN_real_ISD950921HE5.xml'; // ISD950921HE5 -> COSC8001137NA, 1000.00
const PAGO10 = 'cfdi33_P_pago10_cfdi_to_pdf_usd_doc_stamped.xml'; // AAA010101AAA -> COSC8001137NA
const METADATA = 'sat_metadata_cancelled_handmade.txt'; // F08A8B8C cancelled 2024-07-10

/** A fresh folder holding copies of the named fixtures. */
function folderOf(names: string[]): string {
  const dir = tempDir('cartera-cfdi-');
  for (const n of names) copyFileSync(join(FIXTURES, n), join(dir, n));
  return dir;
}

async function rows(wh: Warehouse, sql: string) {
  return wh.all<Record<string, unknown>>(sql);
}

describe('CFDIs of the company detected as the issuer of most Ingreso (H&E951128469)', () => {
  it('loads invoices, the payment and the customer, skips the other party, and ages them in a build', async () => {
    const dir = folderOf([HE_PPD, HE_PUE, HE_PAGO, POT_I]);
    const { wh, report } = await ingestInto(dir, [dir], { cfdi: { terms: 30 } });
    try {
      expect(report.cfdi).toEqual({
        companyRfc: 'H&E951128469', rfcFrom: 'detected', invoices: 2, creditNotes: 0, payments: 1, payables: 0, otherParties: 1, notReceivables: 0,
        dueDates: { CondicionesDePago: 0, '--terms': 2, none: 0 }, cancellations: 0, metadataIgnored: 0,
      });
      // One batch per entity for the whole load, named by its one file or by the folder its files share.
      expect(report.loaded.map((r) => [r.file.slice(dir.length + 1), r.entity, r.rows, r.rejected, r.warnings])).toEqual([
        [HE_PPD, 'customers', 1, 0, 0],
        ['(2 CFDI files)', 'invoices', 2, 0, 0],
        [HE_PAGO, 'payments', 1, 0, 0],
      ]);
      // Each of the load's files is known by its hash, so loading it again skips it.
      expect(await rows(wh, `select file, sha256 from ingest_files order by file, batch_id`)).toEqual(
        [HE_PPD, HE_PPD, HE_PUE, HE_PAGO].map((n) => ({ file: join(dir, n), sha256: createHash('sha256').update(readFileSync(join(dir, n))).digest('hex') })),
      );
      expect(await rows(wh, `select customer_id, name, tax_id from raw_customers`)).toEqual([{ customer_id: 'KIJ0906199R1', name: 'KIJ, S.A DE C.V.', tax_id: 'KIJ0906199R1' }]);
      // Neither file states days in CondicionesDePago: --terms 30 gives the due date. PUE is paid in full at issue.
      expect(
        await rows(wh, `select invoice_id, reference, customer_id, customer_name, invoice_date::varchar d, due_date::varchar due, payment_terms_days terms,
                               amount::varchar amount, currency, document_type, paid_date::varchar paid, paid_amount::varchar paid_amount,
                               replace(extra->>'file', '${dir}/', '') file, extra->>'file_line' file_line, extra->>'MetodoPago' metodo, extra->>'due_date_source' due_from
                          from raw_invoices order by invoice_id`),
      ).toEqual([
        { invoice_id: '6D7434A6-E3F2-47AD-9E4C-08849946AFA0', reference: 'A123456', customer_id: 'KIJ0906199R1', customer_name: 'KIJ, S.A DE C.V.', d: '2020-01-01', due: '2020-01-31', terms: 30,
          amount: '17852.750000', currency: 'MXN', document_type: 'invoice', paid: null, paid_amount: null, file: HE_PPD, file_line: '2', metodo: 'PPD', due_from: '--terms' },
        { invoice_id: '6E546729-960A-4505-8E81-2D2952145BD9', reference: 'A123456', customer_id: 'KIJ0906199R1', customer_name: 'KIJ, S.A DE C.V.', d: '2020-01-01', due: '2020-01-31', terms: 30,
          amount: '17852.750000', currency: 'MXN', document_type: 'invoice', paid: '2020-01-01', paid_amount: '17852.750000', file: HE_PUE, file_line: '2', metodo: 'PUE', due_from: '--terms' },
      ]);
      expect(
        await rows(wh, `select payment_id, customer_id, invoice_id, payment_date::varchar d, amount::varchar amount, currency, method, reference, extra->>'file_line' file_line,
                               extra->>'NumParcialidad' n, extra->>'ImpSaldoAnt' antes, extra->>'ImpSaldoInsoluto' despues from raw_payments`),
      ).toEqual([
        { payment_id: '5B64ADA3-AA4C-40B4-A2F5-572CED52BE31/1/1', customer_id: 'KIJ0906199R1', invoice_id: '6D7434A6-E3F2-47AD-9E4C-08849946AFA0', d: '2020-01-02',
          amount: '17852.750000', currency: 'MXN', method: '03', reference: '5B64ADA3-AA4C-40B4-A2F5-572CED52BE31', file_line: '12', n: '1', antes: '17852.75', despues: '0.00' },
      ]);
      // The company's RFC is kept on each batch, for later loads of payments alone.
      expect(await wh.scalar(`select count(distinct mapping->>'$.cfdi_company_rfc') from ingest_batches`)).toBe('1');

      await runBuild(wh, { asOf: '2020-01-01' });
      expect(await rows(wh, `select invoice_id, outstanding::varchar o, status from fct_invoices order by invoice_id`)).toEqual([
        { invoice_id: '6D7434A6-E3F2-47AD-9E4C-08849946AFA0', o: '17852.75', status: 'open' },
        { invoice_id: '6E546729-960A-4505-8E81-2D2952145BD9', o: '0.00', status: 'paid' },
      ]);
      await runBuild(wh, { asOf: '2020-01-15' });
      expect(await rows(wh, `select invoice_id, outstanding::varchar o, paid_amount::varchar paid, paid_date::varchar paid_date from fct_invoices order by invoice_id`)).toEqual([
        { invoice_id: '6D7434A6-E3F2-47AD-9E4C-08849946AFA0', o: '0.00', paid: '17852.75', paid_date: '2020-01-02' },
        { invoice_id: '6E546729-960A-4505-8E81-2D2952145BD9', o: '0.00', paid: '17852.75', paid_date: '2020-01-01' },
      ]);
    } finally {
      wh.close();
    }
  });

  it('reads the same CFDIs from a zip, and a second load of the zip skips every entry', async () => {
    const dir = tempDir('cartera-cfdi-');
    const zip = new JSZip();
    for (const n of [HE_PPD, HE_PUE, HE_PAGO]) zip.file(`2020/${n}`, readFileSync(join(FIXTURES, n)));
    zip.file('LEEME.md', 'notes');
    const path = join(dir, 'descarga.zip');
    writeFileSync(path, await zip.generateAsync({ type: 'nodebuffer' }));
    const { wh, report } = await ingestInto(dir, [path]);
    try {
      expect(report.cfdi).toMatchObject({ companyRfc: 'H&E951128469', invoices: 2, payments: 1, dueDates: { CondicionesDePago: 0, '--terms': 0, none: 2 } });
      expect(report.loaded.map((r) => r.file)).toContain(`${path}!/2020/${HE_PAGO}`);
      expect(report.loaded.map((r) => r.file)).toContain(`${path}!/2020 (2 CFDI files)`);
      expect(report.skipped).toEqual([{ file: `${path}!/LEEME.md`, reason: 'neither a CFDI (.xml) nor a SAT metadata file (.txt)' }]);
      expect(await wh.scalar(`select sum(amount)::varchar from raw_invoices`)).toBe('35705.500000');
      // Without --terms or days in CondicionesDePago, the due date is left to the customer's terms (else due at issue).
      expect(await wh.scalar(`select count(*) from raw_invoices where due_date is null and payment_terms_days is null`)).toBe('2');
      // The zip was touched by nothing in ingest_batches, so it is read again; each entry is skipped as loaded.
      const { ingestFiles } = await import('../../../src/ingest/ingest.ts');
      const again = await ingestFiles(wh, [path], { strict: false });
      expect(again.loaded).toEqual([]);
      expect(again.skipped.filter((s) => s.reason.startsWith('already loaded')).length).toBe(3);
    } finally {
      wh.close();
    }
  });
});

describe('CFDIs of a company given with --rfc', () => {
  it('POT9207213D6: CONTADO is due at issue, PUE paid at issue, the credit note applied to CEE4BE01', async () => {
    const dir = folderOf([POT_I, POT_E]);
    const { wh, report } = await ingestInto(dir, [dir], { cfdi: { rfc: 'pot9207213d6', terms: 45 } });
    try {
      expect(report.cfdi).toMatchObject({ companyRfc: 'POT9207213D6', rfcFrom: 'given', invoices: 1, creditNotes: 1, dueDates: { CondicionesDePago: 1, '--terms': 0, none: 0 } });
      expect(
        await rows(wh, `select invoice_id, reference, document_type, invoice_date::varchar d, due_date::varchar due, amount::varchar amount, description from raw_invoices order by source_line desc, document_type desc`),
      ).toEqual([
        { invoice_id: 'CEE4BE01-ADFA-4DEB-8421-ADD60F0BEDAC', reference: 'H11541', document_type: 'invoice', d: '2018-01-12', due: '2018-01-12', amount: '2010.010000', description: null },
        { invoice_id: null, reference: 'CEE4BE01-ADFA-4DEB-8421-ADD60F0BEDAC', document_type: 'credit_note', d: '2019-04-10', due: null, amount: '1740.000000', description: 'NC501' },
      ]);
      expect(report.loaded.find((r) => r.file.endsWith(POT_E) && r.entity === 'invoices')?.notes).toEqual([`${join(dir, POT_E)}: no TimbreFiscalDigital: the file was never stamped, so it has no UUID`]);
      await runBuild(wh, { asOf: '2019-12-31' });
      // Paid 2010.01 at issue, then credited 1740.00: the customer holds 1740.00 of unapplied credit on the invoice.
      expect(await rows(wh, `select invoice_id, paid_amount::varchar paid, credited_amount::varchar credited, outstanding::varchar o, bucket from fct_invoices where document_type = 'invoice'`)).toEqual([
        { invoice_id: 'CEE4BE01-ADFA-4DEB-8421-ADD60F0BEDAC', paid: '2010.01', credited: '1740.00', o: '-1740.00', bucket: 'unapplied' },
      ]);
    } finally {
      wh.close();
    }
  });

  it('EKU9003173C9: cross-currency Pagos, unknown UUIDs kept with warnings, a cancellation ages the invoice out', async () => {
    const dir = folderOf([EKU_PPD, EKU_E, EKU_CALC006, EKU_PARTIAL, METADATA]);
    const { wh, report } = await ingestInto(dir, [dir], { cfdi: { rfc: 'EKU9003173C9', terms: 30 } });
    try {
      expect(report.cfdi).toMatchObject({ invoices: 1, creditNotes: 1, payments: 5, payables: 0, cancellations: 1, metadataIgnored: 2 });
      // calc006: ImpPagado is in the document's currency (MXN); ImpPagado / EquivalenciaDR is the USD part of each Pago's Monto.
      expect(
        await rows(wh, `select payment_date::varchar d, amount::varchar amount, currency, invoice_id, extra->>'MonedaP' p_cur, extra->>'Monto' monto,
                               extra->>'ImpPagado/EquivalenciaDR' p_amount, extra->>'EquivalenciaDR' eq, extra->>'NumParcialidad' n,
                               extra->>'ImpSaldoAnt' antes, extra->>'ImpSaldoInsoluto' despues, extra->>'unknown_invoice_id' unknown_id
                          from raw_payments order by batch_id, source_line`),
      ).toEqual([
        { d: '2023-06-06', amount: '2157.060000', currency: 'MXN', invoice_id: null, p_cur: 'USD', monto: '123.45', p_amount: '123.450000', eq: '17.4731470231', n: '5', antes: '4976.36', despues: '2819.3', unknown_id: null },
        { d: '2023-05-10', amount: '67.340000', currency: 'MXN', invoice_id: null, p_cur: 'USD', monto: '3.75', p_amount: '3.750000', eq: '17.9573333333', n: '3', antes: '6591.64', despues: '6524.3', unknown_id: null },
        { d: '2023-06-02', amount: '4.080000', currency: 'MXN', invoice_id: null, p_cur: 'USD', monto: '0.23', p_amount: '0.230000', eq: '17.7391304348', n: '2', antes: '5234', despues: '5229.92', unknown_id: null },
        // partial_signed: one Pago of 15000.00 MXN, settling docto A (2nd installment, 12000.00 -> 0) and part of B (10000.00 -> 7000.00).
        { d: '2023-06-12', amount: '12000.000000', currency: 'MXN', invoice_id: null, p_cur: 'MXN', monto: '15000.00', p_amount: '12000.000000', eq: '1', n: '2', antes: '12000.00', despues: '0', unknown_id: '00000000-1111-2222-3333-00000000000A' },
        { d: '2023-06-12', amount: '3000.000000', currency: 'MXN', invoice_id: null, p_cur: 'MXN', monto: '15000.00', p_amount: '3000.000000', eq: '1', n: '1', antes: '10000.00', despues: '7000.00', unknown_id: '00000000-1111-2222-3333-00000000000B' },
      ]);
      expect(await rows(wh, `select file, column_name, value, reason from ingest_rejects where severity = 'warning' order by file, line`)).toEqual([
        { file: join(dir, EKU_E), column_name: 'CfdiRelacionado UUID', value: 'CEE4BE01-ADFA-4DEB-8421-ADD60F0BEDAC', reason: 'names an unknown invoice: kept, and applied once that invoice is loaded' },
        { file: join(dir, EKU_PARTIAL), column_name: 'invoice_id', value: '00000000-1111-2222-3333-00000000000A', reason: 'payment for an unknown invoice: kept as unapplied cash' },
        { file: join(dir, EKU_PARTIAL), column_name: 'invoice_id', value: '00000000-1111-2222-3333-00000000000B', reason: 'payment for an unknown invoice: kept as unapplied cash' },
      ]);
      // The cancellation: a credit note for the whole invoice (its own amount and currency), on FechaCancelacion's day, on the metadata's line 2.
      expect(
        await rows(wh, `select invoice_id, reference, document_type, invoice_date::varchar d, amount::varchar amount, currency, customer_id, source_line from raw_invoices where reference = 'F08A8B8C-26DB-5385-86AF-2A1D354C5CC3'`),
      ).toEqual([
        { invoice_id: 'F08A8B8C-26DB-5385-86AF-2A1D354C5CC3/cancelacion', reference: 'F08A8B8C-26DB-5385-86AF-2A1D354C5CC3', document_type: 'credit_note', d: '2024-07-10', amount: '1191.950000', currency: 'MXN', customer_id: 'ICV060329BY0', source_line: '2' },
      ]);
      const aging = `select outstanding::varchar o, bucket from ar_aging where customer_id = 'ICV060329BY0'`;
      await runBuild(wh, { asOf: '2024-07-09' });
      // Issued 2024-06-15, due 2024-07-15 (--terms 30): still current the day before its cancellation.
      expect(await rows(wh, aging)).toEqual([{ o: '1191.95', bucket: 'current' }]);
      await runBuild(wh, { asOf: '2024-07-10' });
      expect(await rows(wh, aging)).toEqual([]);
      expect(await rows(wh, `select outstanding::varchar o, credited_amount::varchar c from fct_invoices where invoice_id = 'F08A8B8C-26DB-5385-86AF-2A1D354C5CC3'`)).toEqual([{ o: '0.00', c: '1191.95' }]);
    } finally {
      wh.close();
    }
  });

  it('COSC8001137NA: CFDIs it received are payables, skipped and counted', async () => {
    const dir = folderOf([ISD_I, PAGO10, EKU_PARTIAL]);
    const { wh, report } = await ingestInto(dir, [dir], { cfdi: { rfc: 'COSC8001137NA' } });
    try {
      expect(report.cfdi).toMatchObject({ companyRfc: 'COSC8001137NA', invoices: 0, payments: 0, payables: 3, otherParties: 0 });
      expect(report.loaded).toEqual([]);
      expect(await wh.scalar(`select (select count(*) from raw_invoices) + (select count(*) from raw_payments)`)).toBe('0');
    } finally {
      wh.close();
    }
  });
});

describe('--entity cfdi', () => {
  it('reads a file named on the command line as a CFDI whatever its extension', async () => {
    const dir = tempDir('cartera-cfdi-');
    const file = join(dir, 'factura.dat');
    copyFileSync(join(FIXTURES, POT_I), file);
    const { wh, report } = await ingestInto(dir, [file], { cfdi: { force: true } });
    try {
      expect(report.cfdi).toMatchObject({ companyRfc: 'POT9207213D6', invoices: 1 });
      expect(await wh.scalar(`select amount::varchar from raw_invoices`)).toBe('2010.010000');
    } finally {
      wh.close();
    }
  });
});

describe('a SAT metadata package (zip)', () => {
  it('reads the metadata entry and says why each other entry is skipped', async () => {
    const dir = tempDir('cartera-cfdi-');
    const path = join(dir, 'paquete.zip');
    copyFileSync(join(FIXTURES, 'sat_metadata_package.zip'), path);
    const { wh, report } = await ingestInto(dir, [path], { cfdi: { rfc: 'XAXX010101000' } });
    try {
      // Its two rows are in force (Estatus 1): nothing is cancelled, nothing enters the receivables.
      expect(report.cfdi).toMatchObject({ companyRfc: 'XAXX010101000', cancellations: 0, metadataIgnored: 2 });
      expect(report.loaded.map((r) => [r.file.slice(path.length), r.entity, r.rows])).toEqual([['!/45C5C344-DA01-497A-9271-5AA3852EE6AE_01.txt', 'invoices', 0]]);
      expect(report.skipped.map((s) => [s.file.slice(path.length), s.reason])).toEqual([
        ['!/00000000-0000-0000-0000-000000000000_00.txt', 'a text file that is not SAT metadata (Uuid~RfcEmisor~...)'],
        ['!/__MACOSX/._45C5C344-DA01-497A-9271-5AA3852EE6AE_01.txt', 'a text file that is not SAT metadata (Uuid~RfcEmisor~...)'],
        ['!/empty-file', 'neither a CFDI (.xml) nor a SAT metadata file (.txt)'],
        ['!/other.txt', 'a text file that is not SAT metadata (Uuid~RfcEmisor~...)'],
      ]);
      expect(await wh.scalar(`select count(*) from raw_invoices`)).toBe('0');
    } finally {
      wh.close();
    }
  });
});
