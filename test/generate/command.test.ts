import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCommand, UserError } from '../../src/cli/command.ts';
import { generateCommand } from '../../src/commands/generate.ts';

afterEach(() => vi.restoreAllMocks());

function captureStdout(): string[] {
  const out: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    out.push(String(chunk));
    return true;
  });
  return out;
}

describe('cartera generate', () => {
  it('prints one summary line per file written', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'cartera-gen-cli-'));
    const dir = join(parent, 'out');
    const out = captureStdout();
    const code = await runCommand(generateCommand, ['--out', dir, '--customers', '20', '--invoices', '300', '--dialects', 'canonical']);
    expect(code).toBe(0);
    const files = readdirSync(dir);
    for (const f of files) expect(out.join('')).toMatch(new RegExp(`^wrote ${f.replace('.', '\\.')} +\\d+ rows`, 'm'));
    expect(out.join('')).toMatch(/^wrote invoices\.csv +300 rows/m);
    rmSync(parent, { recursive: true, force: true });
  });

  it('shows its help', async () => {
    const out = captureStdout();
    expect(await runCommand(generateCommand, ['--help'])).toBe(0);
    expect(out.join('')).toContain('--dialects D');
  });

  it('rejects bad arguments with a clear message', async () => {
    await expect(runCommand(generateCommand, [])).rejects.toThrow(/--out DIR is required/);
    await expect(runCommand(generateCommand, ['--out', '/tmp/x', '--invoices', '1e6'])).rejects.toBeInstanceOf(UserError);
    await expect(runCommand(generateCommand, ['--out', '/tmp/x', '--dialects', 'sap'])).rejects.toThrow(/--dialects/);
    await expect(runCommand(generateCommand, ['--out', '/tmp/x', '--end', '2026-13-01'])).rejects.toThrow(/--end/);
    await expect(runCommand(generateCommand, ['--out', '/tmp/x', '--customers', '0'])).rejects.toThrow(/--customers/);
  });
});
