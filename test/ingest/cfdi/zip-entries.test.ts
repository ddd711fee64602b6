// The CFDI reader's own zip reader, on zips JSZip writes (deflated and stored entries, a folder) and
// on a damaged one. Over 65,535 entries (zip64) is read by `npm run bench -- cfdi` (Info-ZIP's zip).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { zipEntries } from '../../../src/ingest/readers/cfdi/zip-entries.ts';
import { tempDir } from '../helpers.ts';

const CFDI = readFileSync(join(import.meta.dirname, '../../fixtures/cfdi/cfdi33_I_PUE_MXN_real_POT9207213D6.xml'));

async function zipOf(files: Record<string, Buffer | string>, compression: 'DEFLATE' | 'STORE'): Promise<string> {
  const zip = new JSZip();
  for (const [name, body] of Object.entries(files)) zip.file(name, body);
  zip.folder('vacia');
  const path = join(tempDir('cartera-zip-'), 'a.zip');
  writeFileSync(path, await zip.generateAsync({ type: 'nodebuffer', compression }));
  return path;
}

describe('zipEntries', () => {
  for (const compression of ['DEFLATE', 'STORE'] as const) {
    it(`reads ${compression === 'DEFLATE' ? 'deflated' : 'stored'} entries byte for byte, and folders as folders`, async () => {
      const path = await zipOf({ '2018/factura.xml': CFDI, 'ñandú.txt': 'Uuid~RfcEmisor~\n' }, compression);
      const seen = [];
      for (const e of zipEntries(path)) seen.push([e.path, e.directory, e.directory ? null : e.read()]); // read while the zip is open
      expect(seen).toEqual([
        ['2018/', true, null],
        ['2018/factura.xml', false, CFDI],
        ['ñandú.txt', false, Buffer.from('Uuid~RfcEmisor~\n')],
        ['vacia/', true, null],
      ]);
    });
  }

  it('a zip cut short has no directory to read', async () => {
    const path = await zipOf({ 'factura.xml': CFDI }, 'DEFLATE');
    writeFileSync(path, readFileSync(path).subarray(0, 200));
    expect(() => [...zipEntries(path)]).toThrow('no end of central directory');
  });
});
