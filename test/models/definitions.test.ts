import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { runBuild, SQL_ROOT } from '../../src/models/index.ts';
import { modelDefinition } from '../../src/models/definitions.ts';
import { insertRaw, tempWarehouse } from './fixtures.ts';

/** Each KPI is defined once, in its model's .yml; everything that shows it reads or matches that. */
let wh: Warehouse;
let close: () => void;
beforeAll(async () => {
  ({ wh, close } = await tempWarehouse());
  await insertRaw(wh, 'invoices', [{ invoice_id: 'I1', customer_id: 'C1', invoice_date: '2024-01-05', due_date: '2024-02-04', amount: 100 }]);
  await runBuild(wh, { asOf: '2024-02-29' });
});
afterAll(() => close());

const KPI_TABLES = ['kpi_monthly', 'kpi_monthly_by_segment', 'kpi_monthly_by_collector', 'kpi_monthly_by_country'];

describe('KPI definitions', () => {
  it('define every column of the KPI tables, with a label and a definition in Spanish and English', async () => {
    for (const table of KPI_TABLES) {
      const columns = (await wh.all<{ column_name: string }>(`select column_name from (describe ${table})`)).map((c) => c.column_name);
      const defined = modelDefinition(table)!.columns;
      const dimension = table.replace(/^kpi_monthly_by_/, '');
      for (const c of columns.filter((c) => c !== dimension)) {
        const d = defined[c];
        expect(d, `${table}.${c}`).toBeDefined();
        for (const text of [d.label.es, d.label.en, d.definition.es, d.definition.en]) expect(text.trim().length, `${table}.${c}`).toBeGreaterThan(1);
      }
    }
  });

  it('describe every mart in Spanish and English', () => {
    const marts = readdirSync(join(SQL_ROOT, 'marts')).filter((f) => f.endsWith('.sql')).map((f) => f.replace(/\.sql$/, ''));
    const missing = marts.filter((m) => !modelDefinition(m)?.description?.es || !modelDefinition(m)?.description?.en);
    expect(missing).toEqual([]);
  });

  it('say what the SQL counts (collections: cash received, applied or not; bad debt over 12 months)', () => {
    const k = modelDefinition('kpi_monthly')!.columns;
    expect(k.collections.definition.en).toMatch(/applied or not/);
    expect(k.bad_debt_ratio_pct.definition.en).toMatch(/trailing 12 months/);
    expect(k.bad_debt_ratio_pct.definition.es).toMatch(/últimos 12 meses/);
  });

  it('are the ones the notebooks quote', () => {
    const notebook = readFileSync(join(import.meta.dirname, '../../notebooks/morosidad-por-segmento.md'), 'utf8');
    const k = modelDefinition('kpi_monthly')!.columns;
    for (const c of ['overdue_pct', 'dso_standard', 'cei_pct']) expect(notebook, c).toContain(`- **${k[c].label.es}**: ${k[c].definition.es}`);
  });

  it('are the ones the README lists', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8').replace(/\s+/g, ' ');
    const k = modelDefinition('kpi_monthly')!.columns;
    for (const c of ['overdue_pct', 'dso_standard', 'dso_countback', 'best_possible_dso', 'add_days', 'cei_pct', 'bad_debt_ratio_pct', 'avg_days_to_pay', 'on_time_pct']) {
      expect(readme, c).toContain(`- **${k[c].label.en}** (\`${c}\`; es: ${k[c].label.es}): ${k[c].definition.en}`);
    }
  });
});
