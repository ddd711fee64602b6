import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { StatementError } from './errors.ts';
import type { Language } from './locale.ts';

/** The seller's details printed at the head of every statement. */
export interface Company {
  name: string;
  taxId?: string;
  address: string[];
  email?: string;
  phone?: string;
  website?: string;
  /** How to pay (bank, account, reference), per language. */
  paymentInstructions?: Partial<Record<Language, string>>;
}

const line = z.string().trim().min(1).max(200);
const schema = z.strictObject({
  name: line,
  tax_id: line.optional(),
  address: z.union([line, z.array(line).max(6)]).optional(),
  email: line.optional(),
  phone: line.optional(),
  website: line.optional(),
  payment_instructions: z.union([z.string().trim().min(1).max(1000), z.strictObject({ es: z.string().max(1000).optional(), en: z.string().max(1000).optional() })]).optional(),
});

/**
 * Where the company file of a warehouse is: `CARTERA_COMPANY`, or `company.yaml` beside the
 * warehouse (`data/company.yaml` for the default `data/warehouse.duckdb`).
 */
export function companyPath(dbPath: string): string {
  return process.env.CARTERA_COMPANY ?? join(dirname(resolve(dbPath)), 'company.yaml');
}

/**
 * The company file at `path`, checked; undefined when there is none (statements then carry no
 * seller block). A file that is there but wrong is an error naming the field.
 */
export function loadCompany(path: string): Company | undefined {
  if (!existsSync(path)) return undefined;
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new StatementError(`${path}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const why = r.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ');
    throw new StatementError(`${path}: ${why} (fields: name, tax_id, address, email, phone, website, payment_instructions)`);
  }
  const c = r.data;
  const pay = c.payment_instructions;
  return {
    name: c.name,
    taxId: c.tax_id,
    address: c.address === undefined ? [] : typeof c.address === 'string' ? [c.address] : c.address,
    email: c.email,
    phone: c.phone,
    website: c.website,
    paymentInstructions: pay === undefined ? undefined : typeof pay === 'string' ? { es: pay, en: pay } : pay,
  };
}
