import { describe, expect, it } from 'vitest';
import { CfdiError, parseCfdi } from '../../../src/ingest/readers/cfdi/parse.ts';

function failure(text: string, file = 'x.xml'): CfdiError {
  try {
    parseCfdi(text, file);
  } catch (e) {
    if (e instanceof CfdiError) return e;
    throw e;
  }
  throw new Error('parsed');
}

const CFDI4 = (body: string, attrs = 'Version="4.0"') =>
  `<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4" ${attrs} TipoDeComprobante="I" Fecha="2024-01-02T10:00:00" Total="10.00" Moneda="MXN">` +
  `<cfdi:Emisor Rfc="EKU9003173C9"/><cfdi:Receptor Rfc="URE180429TM6"/>${body}</cfdi:Comprobante>`;

describe('CFDI errors', () => {
  it('malformed XML names the file and the open element', () => {
    const e = failure(CFDI4('<cfdi:Conceptos>').replace('</cfdi:Comprobante>', ''), 'broken.xml');
    expect(e.code).toBe('malformed-xml');
    expect(e.file).toBe('broken.xml');
    expect(e.element).toBe('cfdi:Conceptos');
    expect(e.message).toMatch(/^broken\.xml <cfdi:Conceptos>: malformed XML/);
  });

  it('text that is not XML at all is malformed', () => {
    expect(failure('Uuid~RfcEmisor~NombreEmisor\n').code).toBe('malformed-xml');
  });

  it('an XML whose root is not cfdi:Comprobante is not a CFDI', () => {
    const e = failure('<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>', 'ubl.xml');
    expect(e.code).toBe('not-cfdi');
    expect(e.element).toBe('Invoice');
    expect(e.message).toContain('not a CFDI');
  });

  it('a Comprobante in no SAT namespace is not a CFDI', () => {
    expect(failure('<Comprobante Version="4.0"/>').code).toBe('not-cfdi');
  });

  it('an unsupported version names the root element', () => {
    const e = failure(
      '<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/3" Version="3.2"><cfdi:Emisor Rfc="A"/><cfdi:Receptor Rfc="B"/></cfdi:Comprobante>',
    );
    expect(e.code).toBe('unsupported-version');
    expect(e.element).toBe('cfdi:Comprobante');
    expect(e.message).toContain('"3.2"');
  });

  it('an amount that is not a decimal names its element', () => {
    const e = failure(CFDI4('').replace('Total="10.00"', 'Total="1e3"'));
    expect(e.code).toBe('invalid-value');
    expect(e.message).toBe('x.xml <cfdi:Comprobante>: Total="1e3" is not a decimal');
  });

  it('a minimal stamped invoice parses, skipping its Conceptos', () => {
    const doc = parseCfdi(
      CFDI4(
        '<cfdi:Conceptos><cfdi:Concepto Importe="oops"><cfdi:Impuestos/></cfdi:Concepto></cfdi:Conceptos>' +
          '<cfdi:Complemento><tfd:TimbreFiscalDigital xmlns:tfd="http://www.sat.gob.mx/TimbreFiscalDigital" UUID="aaaaaaaa-0000-0000-0000-00000000000b"/></cfdi:Complemento>',
      ),
      'min.xml',
    );
    expect(doc.records[0]).toMatchObject({ invoice_id: 'AAAAAAAA-0000-0000-0000-00000000000B', amount: '10.00', invoice_date: '2024-01-02' });
  });

  it('a Traslado is read but yields no records', () => {
    const doc = parseCfdi(CFDI4('').replace('TipoDeComprobante="I"', 'TipoDeComprobante="T"'), 't.xml');
    expect(doc.kind).toBe('other');
    expect(doc.records).toEqual([]);
    expect(doc.notes).toContain('TipoDeComprobante "T" is not a receivable: skipped');
  });
});
