/**
 * Hand-made CFDI 4.0 texts for tests that need a case no real fixture shows (a foreign receiver,
 * an invoice an ERP export numbers differently). They carry only what the reader reads: no seal,
 * no certificate, no Conceptos; the real files in test/fixtures/cfdi cover the rest.
 */

const CFDI = 'http://www.sat.gob.mx/cfd/4';
const TFD = 'http://www.sat.gob.mx/TimbreFiscalDigital';
const PAGOS = 'http://www.sat.gob.mx/Pagos20';

export interface Receptor {
  Rfc: string;
  Nombre?: string;
  ResidenciaFiscal?: string;
  NumRegIdTrib?: string;
}

const attrs = (o: Record<string, string | undefined>) =>
  Object.entries(o)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${v}"`)
    .join('');

const stamp = (uuid: string) => `<cfdi:Complemento><tfd:TimbreFiscalDigital xmlns:tfd="${TFD}" Version="1.1" UUID="${uuid}"/></cfdi:Complemento>`;

/** An Ingreso (invoice) issued by `emisor`. */
export function ingreso(o: { uuid: string; emisor: string; receptor: Receptor; fecha: string; total: string; moneda?: string; metodo?: 'PUE' | 'PPD'; serie?: string; folio?: string }): string {
  const head = attrs({ Version: '4.0', Serie: o.serie, Folio: o.folio, Fecha: `${o.fecha}T12:00:00`, Moneda: o.moneda ?? 'MXN', Total: o.total, TipoDeComprobante: 'I', MetodoPago: o.metodo ?? 'PPD' });
  return `<?xml version="1.0" encoding="UTF-8"?>
<cfdi:Comprobante xmlns:cfdi="${CFDI}"${head}>
<cfdi:Emisor Rfc="${o.emisor}"/>
<cfdi:Receptor${attrs({ ...o.receptor })}/>
${stamp(o.uuid)}
</cfdi:Comprobante>
`;
}

/** A Pago (payment complement) issued on `fecha` with one Pago of DoctoRelacionado lines, all in MXN. */
export function pago(o: { uuid: string; emisor: string; receptor: Receptor; fecha: string; fechaPago: string; docs: { id: string; pagado: string; antes: string; despues: string; parcialidad: number }[] }): string {
  const monto = o.docs.reduce((s, d) => s + Math.round(Number(d.pagado) * 100), 0) / 100;
  const doctos = o.docs
    .map((d) => `<pago20:DoctoRelacionado IdDocumento="${d.id}" MonedaDR="MXN" EquivalenciaDR="1" NumParcialidad="${d.parcialidad}" ImpSaldoAnt="${d.antes}" ImpPagado="${d.pagado}" ImpSaldoInsoluto="${d.despues}" ObjetoImpDR="01"/>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<cfdi:Comprobante xmlns:cfdi="${CFDI}" xmlns:pago20="${PAGOS}" Version="4.0" Fecha="${o.fecha}T12:00:00" Moneda="XXX" Total="0" TipoDeComprobante="P">
<cfdi:Emisor Rfc="${o.emisor}"/>
<cfdi:Receptor${attrs({ ...o.receptor })}/>
<cfdi:Complemento><pago20:Pagos Version="2.0"><pago20:Pago FechaPago="${o.fechaPago}T12:00:00" FormaDePagoP="03" MonedaP="MXN" TipoCambioP="1" Monto="${monto.toFixed(2)}">${doctos}</pago20:Pago></pago20:Pagos>
<tfd:TimbreFiscalDigital xmlns:tfd="${TFD}" Version="1.1" UUID="${o.uuid}"/></cfdi:Complemento>
</cfdi:Comprobante>
`;
}
