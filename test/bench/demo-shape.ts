import { join } from 'node:path';
import { GENERATE_DEFAULTS, generateExports } from '../../src/generate/generate.ts';

/**
 * Writes `cartera generate` exports of the demo's shape (canonical CSV, 100 invoices a customer,
 * with part payments, disputes, promises and contacts) for `invoices` documents into `dir`/exports;
 * returns that folder.
 */
export async function writeDemoExports(dir: string, invoices: number): Promise<string> {
  const out = join(dir, 'exports');
  await generateExports({ ...GENERATE_DEFAULTS, out, customers: Math.max(1, Math.round(invoices / 100)), invoices, dialect: 'canonical' });
  return out;
}
