import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyWarehouse } from './tiny-warehouse.ts';

const exec = promisify(execFile);

let tiny: Awaited<ReturnType<typeof tinyWarehouse>>;
beforeAll(async () => {
  tiny = await tinyWarehouse();
});
afterAll(() => tiny.cleanup());

/** Runs the real CLI in a child process; resolves with its exit code and output either way. */
async function cartera(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('cartera notebook', () => {
  it('writes the HTML report where --out says and prints its path', async () => {
    const src = join(tiny.dir, 'ok.md');
    writeFileSync(src, '---\nparams:\n  s: pyme\n---\n```sql name=filas\nselect segment, ar_end from kpi_monthly_by_segment where segment = ${s}\n```\n');
    const out = join(tiny.dir, 'ok.html');
    const r = await cartera(['notebook', src, '--db', tiny.db, '--out', out, '--param', 's=gobierno']);
    expect(r).toMatchObject({ code: 0, stdout: `${out}\n` });
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<b>filas</b> · 3 rows');
    expect(html).toContain('<td>gobierno</td>');
  });

  it('exits non-zero naming notebook, block and the DuckDB error when a block fails, writing nothing', async () => {
    const src = join(tiny.dir, 'roto.md');
    writeFileSync(src, '# Roto\n\n```sql name=mal\nselec 1\n```\n');
    const out = join(tiny.dir, 'roto.html');
    const r = await cartera(['notebook', src, '--db', tiny.db, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/roto\.md, block 'mal' \(line 3\): .*Parser Error: syntax error at or near "selec"/);
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 for a parameter the notebook does not take', async () => {
    const src = join(tiny.dir, 'sin-params.md');
    writeFileSync(src, '```sql name=uno\nselect 1 as uno\n```\n');
    const r = await cartera(['notebook', src, '--db', tiny.db, '--out', join(tiny.dir, 'x.html'), '--param', 'nope=1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown parameter 'nope'; this notebook takes: none");
  });
});
