import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { UserError } from '../cli/command.ts';

export type FileFormat = 'csv' | 'xlsx' | 'json' | 'parquet';

const BY_EXTENSION: Record<string, FileFormat> = {
  '.csv': 'csv', '.tsv': 'csv', '.psv': 'csv', '.tab': 'csv', '.txt': 'csv',
  '.xlsx': 'xlsx', '.xlsm': 'xlsx',
  '.json': 'json', '.ndjson': 'json', '.jsonl': 'json',
  '.parquet': 'parquet', '.pq': 'parquet',
};

/** The format of a file by its extension, or undefined when Cartera does not read it. */
export function formatOf(path: string): FileFormat | undefined {
  return BY_EXTENSION[extname(path).toLowerCase()];
}

/**
 * Expands the paths given on the command line: files as they are, folders recursively (skipping
 * hidden files, READMEs and .txt files, which in a folder are more often notes than exports).
 */
export function expandPaths(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (formatOf(p) && !/^readme/i.test(name) && extname(name).toLowerCase() !== '.txt') out.push(p);
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new UserError(`${p}: no such file or folder`);
    }
    if (st.isDirectory()) walk(p);
    else if (formatOf(p)) out.push(p);
    else throw new UserError(`${p}: unsupported file type '${extname(p) || basename(p)}' (CSV, TSV, TXT, XLSX, JSON, NDJSON or Parquet)`);
  }
  return out;
}

/** SHA-256 of a file's bytes, streamed. */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) h.update(chunk as Buffer);
  return h.digest('hex');
}
