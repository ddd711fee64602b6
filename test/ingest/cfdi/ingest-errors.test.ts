// Bad CFDI input through the real `ingest`: each message names the file (and the element where it
// helps), and the load keeps nothing, not even the good files given with the bad one.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/db/errors.ts';
import { Warehouse } from '../../../src/db/warehouse.ts';
import { ingestFiles, type IngestOptions } from '../../../src/ingest/ingest.ts';
import { parseSatMetadata } from '../../../src/ingest/readers/cfdi/metadata.ts';
import { termsDays } from '../../../src/ingest/readers/cfdi/terms.ts';
import { tempDir } from '../helpers.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures/cfdi');
const GOOD = 'cfdi40_I_PPD_MXN_satcfdi_HE951128469_iva16_stamped.xml';

/** Loads a good CFDI with `bad` (name, text) in one call; returns the error and what the warehouse kept. */
async function failWith(bad: [string, string], opts: Partial<IngestOptions> = {}): Promise<{ message: string; kept: string }> {
  const dir = tempDir('cartera-cfdi-bad-');
  copyFileSync(join(FIXTURES, GOOD), join(dir, GOOD));
  writeFileSync(join(dir, bad[0]), bad[1]);
  const wh = await Warehouse.open(join(dir, 'w.duckdb'));
  try {
    const err = await ingestFiles(wh, [dir], { strict: false, ...opts }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    const kept = String(await wh.scalar(`select (select count(*) from raw_invoices) + (select count(*) from raw_customers) + (select count(*) from ingest_batches)`));
    return { message: (err as Error).message, kept };
  } finally {
    wh.close();
  }
}

const good = readFileSync(join(FIXTURES, GOOD), 'utf8');

describe('bad CFDI input stops the whole load', () => {
  it('malformed XML names the file and the element left open', async () => {
    const { message, kept } = await failWith(['roto.xml', good.slice(0, good.indexOf('<cfdi:Conceptos>') + 16)]);
    expect(message).toMatch(/roto\.xml <cfdi:Conceptos>: malformed XML/);
    expect(kept).toBe('0');
  });

  it('an XML that is not a CFDI names its root', async () => {
    const { message, kept } = await failWith(['ubl.xml', '<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>']);
    expect(message).toMatch(/ubl\.xml <Invoice>: not a CFDI: the root element is <Invoice> in urn:oasis/);
    expect(kept).toBe('0');
  });

  it('an unsupported version names the Comprobante', async () => {
    const { message } = await failWith(['v32.xml', '<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/3" Version="3.2"><cfdi:Emisor Rfc="A"/><cfdi:Receptor Rfc="B"/></cfdi:Comprobante>']);
    expect(message).toMatch(/v32\.xml <cfdi:Comprobante>: unsupported CFDI version "3\.2"/);
  });

  it('a file read as CFDI by content, whatever its name (--entity cfdi, or an XML declaration)', async () => {
    const { message } = await failWith(['export.csv', '<?xml version="1.0"?>\n<factura/>']);
    expect(message).toMatch(/export\.csv <factura>: not a CFDI/);
  });

  it('a UUID twice with different content, in one load, names both files and the stamp', async () => {
    const { message, kept } = await failWith(['copia.xml', good.replace('Total="17852.75"', 'Total="17852.76"')]);
    expect(message).toMatch(/<tfd:TimbreFiscalDigital>: UUID 6D7434A6-E3F2-47AD-9E4C-08849946AFA0 is also in .*, with different content/);
    expect(message).toContain('copia.xml');
    expect(message).toContain(GOOD);
    expect(kept).toBe('0');
  });

  it('a UUID loaded before with different content names the earlier file', async () => {
    const dir = tempDir('cartera-cfdi-bad-');
    copyFileSync(join(FIXTURES, GOOD), join(dir, GOOD));
    const wh = await Warehouse.open(join(dir, 'w.duckdb'));
    try {
      await ingestFiles(wh, [join(dir, GOOD)], { strict: false });
      writeFileSync(join(dir, 'otra.xml'), good.replace('Total="17852.75"', 'Total="1.00"'));
      await expect(ingestFiles(wh, [join(dir, 'otra.xml')], { strict: false })).rejects.toThrow(
        new RegExp(`otra\\.xml <tfd:TimbreFiscalDigital>: UUID 6D7434A6-E3F2-47AD-9E4C-08849946AFA0 was loaded before from .*${GOOD.replace(/\./g, '\\.')}, with different content`),
      );
      expect(await wh.scalar(`select count(*) from raw_invoices`)).toBe('1');
    } finally {
      wh.close();
    }
  });

  it('a SAT metadata row that does not fit the layout names its line', async () => {
    const header = readFileSync(join(FIXTURES, 'sat_metadata_sample.txt'), 'utf8').split(/\r?\n/)[0];
    const { message } = await failWith(['metadata.txt', `${header}\r\nE7215E3B-2DC5-4A40-AB10-C902FF9258DF~H&E951128469~X~KIJ0906199R1~Y~Z~2020-01-01 00:00:00~2020-01-01 00:00:01~17852.75~I~0~\r\n`]);
    expect(message).toBe(`${tempDirOf(message)}metadata.txt:2: Estatus 0 (cancelado) without a FechaCancelacion`);
  });
});

/** The folder part of a message's file path. */
const tempDirOf = (message: string) => message.slice(0, message.indexOf('metadata.txt'));

describe('the SAT metadata layout and CondicionesDePago', () => {
  it('reads the SAT sample: two CFDIs in force, nothing cancelled', () => {
    const rows = parseSatMetadata(readFileSync(join(FIXTURES, 'sat_metadata_sample.txt'), 'utf8'), 'sample.txt');
    expect(rows).toEqual([
      { line: 2, uuid: 'E7215E3B-2DC5-4A40-AB10-C902FF9258DF', issuer_rfc: 'XAXX010101000', receiver_rfc: 'XAXX010101001', receiver_name: 'RAZON SOCIAL 1 SA DE CV', issued_date: '2018-01-11', amount: '1124.11', kind: 'I', status: '1', cancelled_date: null },
      { line: 3, uuid: '129C4D12-1415-4ACE-BE12-34E71C4EAB4E', issuer_rfc: 'XAXX010101000', receiver_rfc: 'XAXX010101002', receiver_name: 'RAZON SOCIAL 2 SA DE CV', issued_date: '2018-01-11', amount: '1485.17', kind: 'I', status: '1', cancelled_date: null },
    ]);
  });

  it('takes days only where CondicionesDePago states them', () => {
    expect(['CONTADO', 'CREDITO 30 DIAS', 'Neto 45', 'Crédito a 60 días', 'NET 90', '15 DÍAS', 'Condiciones de pago', null].map(termsDays)).toEqual([0, 30, 45, 60, 90, 15, undefined, undefined]);
  });
});
