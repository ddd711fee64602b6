import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { sendTable, type TableLike } from '../../src/api/tabular.ts';

// A result as DuckDB hands it over: DECIMAL as text, a double as a number, a name with a comma.
const table: TableLike = {
  columnNames: () => ['customer', 'balance', 'share'],
  columnTypes: () => [] as never,
  getRowsJson: () => [['Acme, S.A.', '1234.50', 0.25]] as never,
  getRowObjectsJson: () => [] as never,
};
const app = new Hono().get('/t', (c) => sendTable(c, table, 'csv', 't'));
const csv = async (headers: Record<string, string>, query = '') => (await app.request(`/t${query}`, { headers })).text();

describe('CSV exports follow the locale asked for', () => {
  it('plain RFC 4180 commas and decimal points when no locale is asked for (scripts)', async () => {
    expect(await csv({})).toBe('customer,balance,share\r\n"Acme, S.A.",1234.50,0.25\r\n');
  });
  it("a Colombian browser's spreadsheet: ';' between fields and a decimal comma", async () => {
    expect(await csv({ 'Accept-Language': 'es-CO,es;q=0.9,en;q=0.8' })).toBe('customer;balance;share\r\nAcme, S.A.;1234,50;0,25\r\n');
  });
  it('a Mexican one keeps commas and points; ?locale= wins over the header', async () => {
    expect(await csv({ 'Accept-Language': 'es-MX' })).toBe('customer,balance,share\r\n"Acme, S.A.",1234.50,0.25\r\n');
    expect(await csv({ 'Accept-Language': 'es-MX' }, '?locale=pt-BR')).toBe('customer;balance;share\r\nAcme, S.A.;1234,50;0,25\r\n');
  });
});
