import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCommand } from '../../src/cli/command.ts';
import { exportCommand } from '../../src/commands/export.ts';
import { demoWarehouse, type DemoWarehouse } from './demo-warehouse.ts';

let demo: DemoWarehouse;
let out: string;
beforeAll(async () => {
  demo = await demoWarehouse();
  out = mkdtempSync(join(tmpdir(), 'cartera-export-'));
});
afterAll(() => {
  demo?.remove();
  rmSync(out, { recursive: true, force: true });
});

async function exportTo(args: string[]): Promise<{ status: number; stderr: string }> {
  const write = process.stdout.write;
  const writeErr = process.stderr.write;
  let stderr = '';
  process.stdout.write = (() => true) as typeof write;
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof writeErr;
  try {
    return { status: await runCommand(exportCommand, ['dashboard', ...args, '--db', demo.dbPath]), stderr };
  } catch (err) {
    return { status: (err as { exitCode?: number }).exitCode ?? 99, stderr: stderr + (err as Error).message };
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
}

describe('cartera export dashboard', () => {
  test('html: one self-contained file with every panel, charts as inline SVG, in the language asked', async () => {
    const file = join(out, 'cfo.html');
    expect((await exportTo(['cfo', '--out', file, '--lang', 'en', '--as-of', '2026-09-30'])).status).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(html).toContain('KPIs of the month');
    expect(html).toContain('As of: 2026-09-30');
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(5);
    // A KPI in the page is a number from the warehouse, not a placeholder.
    expect(html).toMatch(/<div class="value">[\d.,]+ d<\/div>/);
    // A table's money column names its currency once, in its title; its cells do not repeat it (MX$ in English).
    const provision = html.slice(html.indexOf('<th>Balance (MXN)</th>'), html.indexOf('</table>', html.indexOf('<th>Balance (MXN)</th>')));
    expect(provision).toMatch(/<td>[\d,]+\.\d{2}<\/td>/);
    expect(provision).not.toContain('MX$');
  });

  test('svg and png of the whole page', async () => {
    const svg = join(out, 'cfo.svg');
    expect((await exportTo(['cfo', '--out', svg, '--lang', 'es'])).status).toBe(0);
    const text = readFileSync(svg, 'utf8');
    expect(text.startsWith('<svg')).toBe(true);
    expect(text).toContain('Indicadores del mes');
    const png = join(out, 'collections.png');
    expect((await exportTo(['collections', '--out', png])).status).toBe(0);
    const bytes = readFileSync(png);
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(20_000);
  });

  test('bad arguments are usage errors', async () => {
    expect((await exportTo(['nope', '--out', join(out, 'x.html')])).status).toBe(2);
    expect((await exportTo(['cfo', '--out', join(out, 'x.pdf')])).status).toBe(2);
    expect((await exportTo(['cfo', '--out', join(out, 'x.html'), '--as-of', '2026-13-01'])).status).toBe(2);
    expect((await exportTo(['cfo', '--out', join(out, 'x.html'), '--filter', 'collector=ana'])).status).toBe(2);
  });
});
