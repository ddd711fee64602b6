// Every expected value below was read by hand from the fixture's XML.
import { describe, expect, it } from 'vitest';
import { fixture } from './helpers.ts';

describe('CFDI Egreso as a credit note', () => {
  it('links the 3.3 credit note 1740.00 to the real invoice CEE4BE01 with TipoRelacion 01', () => {
    const invoice = fixture('cfdi33_I_PUE_MXN_real_POT9207213D6.xml').records[0];
    const doc = fixture('cfdi33_E_PUE_rel01_nodecfdi_handmade.xml');
    expect(doc.kind).toBe('egreso');
    expect(doc.notes).toEqual(['no TimbreFiscalDigital: the file was never stamped, so it has no UUID']);
    expect(doc.records).toEqual([
      {
        record: 'credit_note',
        credit_note_id: null,
        reference: 'NC501',
        credit_note_date: '2019-04-10',
        customer_id: 'DIM8701081LA',
        customer_name: 'DAY INTERNATIONAL DE MEXICO SA DE CV',
        amount: '1740.00',
        currency: 'MXN',
        exchange_rate: null,
        related: [{ uuid: 'CEE4BE01-ADFA-4DEB-8421-ADD60F0BEDAC', relation_type: '01' }],
        issuer_rfc: 'POT9207213D6',
        version: '3.3',
      },
    ]);
    // Same parties as the invoice it cites, so the link holds beyond the UUID.
    expect(invoice.record === 'invoice' && invoice.customer_id).toBe('DIM8701081LA');
    expect(invoice.record === 'invoice' && invoice.issuer_rfc).toBe('POT9207213D6');
  });

  it('reads the 4.0 credit note naming the same UUID', () => {
    const [note] = fixture('cfdi40_E_PUE_rel01_nodecfdi_handmade.xml').records;
    expect(note).toMatchObject({
      record: 'credit_note',
      reference: 'NC501',
      credit_note_date: '2024-04-10',
      customer_id: 'URE180429TM6',
      amount: '1740.00',
      related: [{ uuid: 'CEE4BE01-ADFA-4DEB-8421-ADD60F0BEDAC', relation_type: '01' }],
      issuer_rfc: 'EKU9003173C9',
      version: '4.0',
    });
  });
});
