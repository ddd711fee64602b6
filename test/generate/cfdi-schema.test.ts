// `cartera generate --dialects cfdi` against the SAT's own schemas, with xmllint (Debian's libxml2-utils).
//
// cfdv40.xsd, tdCFDI.xsd, Pagos20.xsd, catPagos.xsd and TimbreFiscalDigitalv11.xsd in
// test/fixtures/cfdi/xsd are byte copies of the SAT's (sources in test/fixtures/cfdi/SOURCES.md).
// The SAT's catalogue schema catCFDI.xsd is over 4 MiB and not among them: catCFDI.xsd there is our
// stand-in, listing only the catalogue values the generator writes (and any five digits as a postal
// code). So this test proves the structure, types and patterns of the SAT's schemas, and that the
// generator keeps to the catalogue values we listed, not that those values are in the SAT's catalogue.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSmall, removeGenerated } from './helpers.ts';

const XSD = join(import.meta.dirname, '../fixtures/cfdi/xsd');
const OPTIONS = { customers: 8, invoices: 120, seed: 1, end: '2025-06-30', years: 1, dialect: 'cfdi' } as const;
let out: string;
let files: string[];

const read = (f: string) => readFileSync(f, 'utf8');

/** xmllint's verdict on files, offline: the catalog points the SAT's schema URLs at the copies here. */
function xmllint(paths: string[]): { status: number | null; stderr: string } {
  const r = spawnSync('xmllint', ['--nonet', '--noout', '--schema', join(XSD, 'cfdi40-pagos20-tfd11.xsd'), ...paths], {
    env: { ...process.env, XML_CATALOG_FILES: join(XSD, 'catalog.xml') },
    encoding: 'utf8',
  });
  if (r.error) throw new Error(`xmllint is not installed (apt-get install libxml2-utils): ${r.error.message}`);
  return { status: r.status, stderr: r.stderr };
}

beforeAll(async () => {
  out = await generateSmall(OPTIONS);
  files = ['ingreso', 'egreso', 'pago'].flatMap((k) => readdirSync(join(out, 'cfdi', k)).map((f) => join(out, 'cfdi', k, f)));
});
afterAll(removeGenerated);

describe('generate --dialects cfdi', () => {
  it('writes every kind the reader takes, in the shapes the test means to cover', () => {
    const texts = files.map(read);
    const count = (needle: string) => texts.filter((t) => t.includes(needle)).length;
    expect(count('TipoDeComprobante="I"')).toBeGreaterThan(50);
    expect(count('TipoDeComprobante="E"')).toBeGreaterThan(0);
    expect(count('TipoDeComprobante="P"')).toBeGreaterThan(50);
    // A credit note names its invoice (01), a debit note its invoice (02); a dollar invoice is paid in pesos.
    expect(count('<cfdi:CfdiRelacionados TipoRelacion="01">')).toBe(count('TipoDeComprobante="E"'));
    expect(count('<cfdi:CfdiRelacionados TipoRelacion="02">')).toBeGreaterThan(0);
    expect(count('EquivalenciaDR=')).toBeGreaterThan(0);
    expect(count('NumParcialidad="2"')).toBeGreaterThan(0);
    // IVA at 16% on every document, and on every payment per document, per Pago and in pesos.
    expect(count('<cfdi:Traslado Base=')).toBe(count('TipoDeComprobante="I"') + count('TipoDeComprobante="E"'));
    expect(count('<pago20:TrasladoDR ')).toBe(count('TipoDeComprobante="P"'));
    expect(count('TotalTrasladosImpuestoIVA16=')).toBe(count('TipoDeComprobante="P"'));
    expect(texts.every((t) => /<tfd:TimbreFiscalDigital Version="1.1" UUID="[0-9A-F-]{36}"/.test(t))).toBe(true);
  });

  it('names a customer abroad as the SAT wants: the generic RFC, its country and tax id there, regime 616, the issuer\'s postal code', () => {
    const receptors = files.map((f) => {
      const t = read(f);
      const attrs = (tag: string): Record<string, string | undefined> =>
        Object.fromEntries([...new RegExp(`<${tag} ([^>]*?)/?>`).exec(t)![1].matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      const root = attrs('cfdi:Comprobante');
      const r: Record<string, string | undefined> = { kind: root.TipoDeComprobante, lugar: root.LugarExpedicion, ...attrs('cfdi:Receptor') };
      return r;
    });
    const abroad = receptors.filter((r) => r.Rfc === 'XEXX010101000');
    expect(abroad.length).toBeGreaterThan(0);
    expect(new Set(abroad.map((r) => r.ResidenciaFiscal)).size).toBeGreaterThan(1);
    for (const r of abroad) {
      expect(r).toMatchObject({ RegimenFiscalReceptor: '616', DomicilioFiscalReceptor: r.lugar, UsoCFDI: r.kind === 'P' ? 'CP01' : 'S01' });
      expect(r.ResidenciaFiscal).toMatch(/^(USA|COL|CHL)$/);
      expect(r.NumRegIdTrib).toMatch(/^[0-9A-Z]+$/);
      // The SAT's format for a tax id in the United States: nine digits.
      if (r.ResidenciaFiscal === 'USA') expect(r.NumRegIdTrib).toMatch(/^[0-9]{9}$/);
    }
    // Everyone else is a Mexican taxpayer under their own RFC, with no foreign attributes.
    const national = receptors.filter((r) => r.Rfc !== 'XEXX010101000');
    expect(national.length).toBeGreaterThan(0);
    for (const r of national) expect({ rfc: r.Rfc, abroad: r.ResidenciaFiscal ?? r.NumRegIdTrib ?? null, regimen: r.RegimenFiscalReceptor }).toMatchObject({ abroad: null, regimen: '601' });
  });

  it('validates against the SAT schemas (CFDI 4.0, Pagos 2.0, TimbreFiscalDigital 1.1)', () => {
    const { status, stderr } = xmllint(files);
    expect(stderr.split('\n').filter((l) => l && !l.endsWith(' validates'))).toEqual([]);
    expect(status).toBe(0);
  });

  it('is checked for real: a value outside the catalogue fails', () => {
    const ingreso = files.find((f) => f.includes('/ingreso/'))!;
    const bad = join(out, 'bad.xml');
    writeFileSync(bad, read(ingreso).replace('MetodoPago="PPD"', 'MetodoPago="PAGO"'));
    const { status, stderr } = xmllint([bad]);
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/MetodoPago.*not an element of the set/);
  });

  it('writes the same bytes for the same options', async () => {
    const again = await generateSmall(OPTIONS);
    const first = files.filter((f) => f.includes('/pago/')).slice(0, 20);
    for (const f of first) expect(read(f.replace(out, again))).toBe(read(f));
  });
});
