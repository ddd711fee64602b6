import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCfdi } from '../../../src/ingest/readers/cfdi/parse.ts';

const DIR = fileURLToPath(new URL('../../fixtures/cfdi/', import.meta.url));

/** Parse a fixture from test/fixtures/cfdi (copies of the real files; see SOURCES.md there). */
export function fixture(name: string) {
  return parseCfdi(readFileSync(DIR + name, 'utf8'), name);
}
