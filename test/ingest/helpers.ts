import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { Warehouse } from '../../src/db/warehouse.ts';
import { ingestFiles, type IngestOptions } from '../../src/ingest/ingest.ts';

/** A fresh temporary folder for one test's files and warehouse. */
export function tempDir(prefix = 'cartera-ingest-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes a text file (UTF-8 by default, or Latin-1) and returns its path. */
export function writeFile(dir: string, name: string, text: string, encoding: 'utf8' | 'latin1' = 'utf8'): string {
  const p = join(dir, name);
  writeFileSync(p, encoding === 'latin1' ? iconv.encode(text, 'latin1') : text);
  return p;
}

/** Opens a warehouse in `dir`, ingests, and returns the open warehouse (caller closes it). */
export async function ingestInto(dir: string, paths: string[], opts: Partial<IngestOptions> = {}): Promise<{ wh: Warehouse; report: Awaited<ReturnType<typeof ingestFiles>> }> {
  const wh = await Warehouse.open(join(dir, 'w.duckdb'));
  const report = await ingestFiles(wh, paths, { strict: false, ...opts });
  return { wh, report };
}
