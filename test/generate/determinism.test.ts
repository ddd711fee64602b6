import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSmall, removeGenerated } from './helpers.ts';

afterAll(removeGenerated);

describe('generate is deterministic', () => {
  let a: string;
  let b: string;
  let other: string;
  beforeAll(async () => {
    a = await generateSmall();
    // A pause makes any clock-dependent byte (zip stamps, xlsx properties) show up.
    await new Promise((r) => setTimeout(r, 2100));
    b = await generateSmall();
    other = await generateSmall({ seed: 8 });
  });

  it('writes byte-identical files for the same arguments', () => {
    const files = readdirSync(a).sort();
    expect(readdirSync(b).sort()).toEqual(files);
    for (const f of files) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
  });

  it('writes different data for a different seed', () => {
    for (const f of ['invoices.csv', 'facturas_mx.csv', 'payments.csv', 'clientes.xlsx', 'fx_rates.parquet']) {
      expect(readFileSync(join(other, f)).equals(readFileSync(join(a, f))), f).toBe(false);
    }
  });
});
