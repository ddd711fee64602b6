import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/db/warehouse.ts';
import { loadDashboards } from '../../src/dashboards/definition.ts';
import { runPanel } from '../../src/dashboards/run.ts';
import { RefreshError } from '../../src/pipeline/errors.ts';
import { runRefresh } from '../../src/pipeline/index.ts';
import { statementsWarehouse } from '../statements/tiny-warehouse.ts';

/**
 * A failed refresh as the admin page shows it, in each language: the step it failed in, and its error in the
 * product's words when it has them in Spanish, else the technical message, said to be in English.
 */
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function open(db: string): Promise<Warehouse> {
  const wh = await Warehouse.open(db);
  cleanups.unshift(() => wh.close());
  return wh;
}

/** The admin page's newest refresh, as its panel's query gives it. */
async function newestRefresh(wh: Warehouse): Promise<Record<string, unknown>> {
  const panel = loadDashboards().get('admin')!.panels.find((p) => p.id === 'refreshes')!;
  return (await runPanel(panel, (sql, params) => wh.result(sql, params), {})).rows[0];
}

describe('a failed refresh on the admin page', () => {
  it('names the step it failed in, and says its technical error is in English', async () => {
    const t = await statementsWarehouse();
    cleanups.push(t.cleanup);
    const wh = await open(t.db);
    const failing = () => {
      throw new Error('Binder Error: the model failed');
    };
    await expect(runRefresh(wh, { trigger: 'test', score: 'none', onModel: failing })).rejects.toThrow(/the model failed/);
    expect(await newestRefresh(wh)).toMatchObject({
      status_es: 'Fallida',
      status_en: 'Failed',
      failed_step_es: 'Construcción',
      failed_step_en: 'Build',
      error_es: 'Detalle técnico (en inglés): Binder Error: the model failed',
      error_en: 'Binder Error: the model failed',
    });
  });

  it("shows the product's own words in Spanish: nothing loaded yet", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cartera-failed-run-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const wh = await open(join(dir, 'w.duckdb'));
    await wh.run('create table fct_invoices (invoice_id varchar)');
    await expect(runRefresh(wh, { trigger: 'test' })).rejects.toThrow(RefreshError);
    const run = await newestRefresh(wh);
    expect(run).toMatchObject({ status_es: 'Fallida', failed_step_es: '', failed_step_en: '' });
    expect(run.error_en).toMatch(/^nothing loaded yet: .* holds no invoices; load your exports: cartera ingest PATH$/);
    expect(run.error_es).toMatch(/^nada cargado todavía: .* no tiene facturas; cargue sus exportaciones: cartera ingest RUTA$/);
  });

  it('reads a refresh_runs table made before these columns, once a refresh records its run', async () => {
    const t = await statementsWarehouse();
    cleanups.push(t.cleanup);
    const wh = await open(t.db);
    await wh.run('alter table refresh_runs drop column error_es; alter table refresh_runs drop column failed_step');
    await runRefresh(wh, { trigger: 'test', score: 'none' });
    expect(await newestRefresh(wh)).toMatchObject({ status_en: 'Published', error_en: '', error_es: '', failed_step_en: '' });
  });
});
