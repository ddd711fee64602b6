/** The company file and the locale of a statement: what is accepted, and how a mistake is told. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { companyPath, customerLocale, loadCompany, parseLocale, statementFileName, StatementError } from '../../src/statements/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'cartera-company-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('company file', () => {
  it('the shipped demo file parses', () => {
    const c = loadCompany(join(import.meta.dirname, '../../data/company.yaml'))!;
    expect(c.name).toBe('Comercializadora Demo, S.A. de C.V.');
    expect(c.address).toHaveLength(3);
    expect(c.paymentInstructions?.es).toMatch(/^Transferencia/);
    expect(c.paymentInstructions?.en).toMatch(/^Wire transfer/);
  });

  it('is looked for beside the warehouse, unless CARTERA_COMPANY names one', () => {
    const before = process.env.CARTERA_COMPANY;
    delete process.env.CARTERA_COMPANY;
    try {
      expect(companyPath('/srv/cartera/wh.duckdb')).toBe('/srv/cartera/company.yaml');
      process.env.CARTERA_COMPANY = '/etc/cartera/company.yaml';
      expect(companyPath('/srv/cartera/wh.duckdb')).toBe('/etc/cartera/company.yaml');
    } finally {
      if (before === undefined) delete process.env.CARTERA_COMPANY;
      else process.env.CARTERA_COMPANY = before;
    }
  });

  it('takes one address line or several, and one instruction for both languages', () => {
    const c = loadCompany(file('one-line.yaml', 'name: Uno S.A.\naddress: Calle 1\npayment_instructions: Pague en caja\n'))!;
    expect(c).toMatchObject({ name: 'Uno S.A.', address: ['Calle 1'], paymentInstructions: { es: 'Pague en caja', en: 'Pague en caja' } });
  });

  it('none is no company; a wrong one is an error naming the field', () => {
    expect(loadCompany(join(dir, 'absent.yaml'))).toBeUndefined();
    expect(() => loadCompany(file('no-name.yaml', 'tax_id: X\n'))).toThrow(/no-name\.yaml: name: /);
    expect(() => loadCompany(file('typo.yaml', 'name: A\nadress: B\n'))).toThrow(/typo\.yaml: .*adress/);
    expect(() => loadCompany(file('broken.yaml', 'name: [\n'))).toThrow(/not valid YAML/);
    expect(() => loadCompany(file('typo.yaml', 'name: A\nadress: B\n'))).toThrow(StatementError);
  });
});

describe('locale', () => {
  it('takes Spanish and English tags, in their canonical form', () => {
    expect(parseLocale('es-co')).toEqual({ tag: 'es-CO', lang: 'es' });
    expect(parseLocale('en-US')).toEqual({ tag: 'en-US', lang: 'en' });
    expect(parseLocale('es')).toEqual({ tag: 'es', lang: 'es' });
  });

  it('refuses other languages and malformed tags, saying what it takes', () => {
    for (const bad of ['fr-FR', 'pt-BR', 'xx', 'es_MX!', '']) expect(() => parseLocale(bad), bad).toThrow(/use a Spanish or English tag such as es-MX/);
  });

  it("by default follows the customer's country", () => {
    expect(customerLocale('CO').tag).toBe('es-CO');
    expect(customerLocale('mx').tag).toBe('es-MX');
    expect(customerLocale('US').tag).toBe('en-US');
    expect(customerLocale('BR').tag).toBe('es-MX');
    expect(customerLocale(null).tag).toBe('es-MX');
  });
});

describe('file names', () => {
  it('keep the id and the as-of, and make the id safe for any file system', () => {
    expect(statementFileName('C-001', '2024-06-30')).toBe('statement_C-001_2024-06-30.pdf');
    expect(statementFileName('ACME/01 MX', '2024-06-30')).toBe('statement_ACME_01_MX_2024-06-30.pdf');
    expect(statementFileName('../etc', '2024-06-30')).toBe('statement_etc_2024-06-30.pdf');
  });
});
