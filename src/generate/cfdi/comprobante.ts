/**
 * The parts every CFDI 4.0 of the demo shares: the root with its namespaces, the issuer, the
 * receptor, a single concept (with IVA, or the payment complement's) and the TimbreFiscalDigital 1.1 stamp.
 */
import { centsCanonical } from '../money.ts';
import { COMPANY, PAC_RFC } from './identity.ts';
import { splitIva, traslado } from './vat.ts';
import { el, type XmlNode } from './xml.ts';

const SCHEMAS = [
  'http://www.sat.gob.mx/cfd/4 http://www.sat.gob.mx/sitio_internet/cfd/4/cfdv40.xsd',
  'http://www.sat.gob.mx/Pagos20 http://www.sat.gob.mx/sitio_internet/cfd/Pagos/Pagos20.xsd',
  'http://www.sat.gob.mx/TimbreFiscalDigital http://www.sat.gob.mx/sitio_internet/cfd/TimbreFiscalDigital/TimbreFiscalDigitalv11.xsd',
].join(' ');

/** A placeholder certificate number: the demo's CFDIs are not sealed, so Sello and Certificado are empty. */
const NO_CERTIFICADO = '00001000000000000000';

/** The receptor as the CFDI names it (see `receptorOf`). */
export interface Receptor {
  rfc: string;
  name: string;
  /** DomicilioFiscalReceptor: the receptor's postal code, or the issuer's for a receptor abroad. */
  postalCode: string;
  /** RegimenFiscalReceptor: 601 (general regime of legal persons), 616 (no tax obligations in Mexico: abroad). */
  regimen: '601' | '616';
  /** For a receptor abroad: ResidenciaFiscal (alpha-3) and NumRegIdTrib (its tax id there). */
  abroad?: { residenciaFiscal: string; numRegIdTrib: string };
}

/** Serie and Folio of a ledger id: 'F-0000123' is Serie F, Folio 0000123. */
export function serieFolio(id: string): { Serie: string; Folio: string } {
  const dash = id.indexOf('-');
  return { Serie: id.slice(0, dash), Folio: id.slice(dash + 1) };
}

/** The Comprobante root: namespaces and the attributes every kind has, then `attrs` and `children`. */
export function comprobante(id: string, fecha: string, attrs: Record<string, string | undefined>, children: XmlNode[]): XmlNode {
  return el(
    'cfdi:Comprobante',
    {
      'xmlns:cfdi': 'http://www.sat.gob.mx/cfd/4',
      'xmlns:pago20': 'http://www.sat.gob.mx/Pagos20',
      'xmlns:tfd': 'http://www.sat.gob.mx/TimbreFiscalDigital',
      'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      'xsi:schemaLocation': SCHEMAS,
      Version: '4.0',
      ...serieFolio(id),
      Fecha: fecha,
      Sello: '',
      NoCertificado: NO_CERTIFICADO,
      Certificado: '',
      ...attrs,
      Exportacion: '01',
      LugarExpedicion: COMPANY.postalCode,
    },
    children,
  );
}

export function emisor(): XmlNode {
  return el('cfdi:Emisor', { Rfc: COMPANY.rfc, Nombre: COMPANY.name, RegimenFiscal: COMPANY.regimen });
}

/**
 * The receptor; `uso` is UsoCFDI (G03 expenses, G02 returns, CP01 payments). A receptor abroad has no
 * use in Mexico: its invoices and credit notes say S01 (sin efectos fiscales); a payment complement
 * says CP01 whoever receives it.
 */
export function receptor(r: Receptor, uso: 'G03' | 'G02' | 'CP01'): XmlNode {
  return el('cfdi:Receptor', {
    Rfc: r.rfc,
    Nombre: r.name,
    DomicilioFiscalReceptor: r.postalCode,
    ResidenciaFiscal: r.abroad?.residenciaFiscal,
    NumRegIdTrib: r.abroad?.numRegIdTrib,
    RegimenFiscalReceptor: r.regimen,
    UsoCFDI: r.abroad && uso !== 'CP01' ? 'S01' : uso,
  });
}

/** The payment complement's single concept: no amount and not subject to tax (ObjetoImp 01). */
export function conceptoPago(): XmlNode {
  return el('cfdi:Conceptos', {}, [
    el('cfdi:Concepto', { ClaveProdServ: '84111506', Cantidad: '1', ClaveUnidad: 'ACT', Descripcion: 'Pago', ValorUnitario: '0', Importe: '0', ObjetoImp: '01' }),
  ]);
}

/** One concept for the document's whole amount, with IVA at 16% (ObjetoImp 02); and the document's tax summary. */
export function conceptosConIva(description: string, totalCents: number, clave: string, unidad: string): XmlNode[] {
  const part = splitIva(totalCents);
  const base = centsCanonical(part.base);
  const concepto = el('cfdi:Concepto', { ClaveProdServ: clave, Cantidad: '1', ClaveUnidad: unidad, Descripcion: description, ValorUnitario: base, Importe: base, ObjetoImp: '02' }, [
    el('cfdi:Impuestos', {}, [el('cfdi:Traslados', {}, [traslado('cfdi:Traslado', '', part)])]),
  ]);
  return [
    el('cfdi:Conceptos', {}, [concepto]),
    el('cfdi:Impuestos', { TotalImpuestosTrasladados: centsCanonical(part.iva) }, [el('cfdi:Traslados', {}, [traslado('cfdi:Traslado', '', part)])]),
  ];
}

/** The stamp, timbrado a minute after issue; its seals are empty like the CFDI's. */
export function timbre(uuid: string, fecha: string): XmlNode {
  return el('tfd:TimbreFiscalDigital', {
    Version: '1.1',
    UUID: uuid,
    FechaTimbrado: fecha.replace(/T12:00:00$/, 'T12:01:00'),
    RfcProvCertif: PAC_RFC,
    SelloCFD: '',
    NoCertificadoSAT: NO_CERTIFICADO,
    SelloSAT: '',
  });
}
