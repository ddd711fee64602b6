import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { CadenceFile, type CountryRules } from './cadence-schema.ts';
import { CadenceError } from './errors.ts';

/** The cadences Cartera ships: `data/cadences/` at the repository root. */
export const DEFAULT_CADENCES = resolve(fileURLToPath(import.meta.url), '../../../data/cadences');

/** Every cadence of a folder, checked against each other, with the contact rules they share. */
export interface Cadences {
  /** Cadences that name segments, then the one for every other customer (if any). */
  cadences: (CadenceFile & { file: string })[];
  defaultCountry: string;
  countries: Record<string, CountryRules>;
}

/**
 * Reads and checks every `*.yaml` of a cadence folder (default: `$CARTERA_CADENCES`, else the shipped one). A mistake throws a CadenceError naming the
 * file and the key, e.g. `data/cadences/default.yaml: levels.1.days: must be after the level before (0)`.
 *
 * @example
 *   const { cadences, countries } = loadCadences(DEFAULT_CADENCES);
 */
export function loadCadences(dir: string = process.env.CARTERA_CADENCES || DEFAULT_CADENCES): Cadences {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch {
    throw new CadenceError(`no cadence folder at ${dir}`);
  }
  if (!names.length) throw new CadenceError(`${dir}: no cadence (*.yaml) in it`);
  const files = names.map((n) => readCadence(join(dir, n)));
  return combine(files);
}

/** One file, parsed and validated. */
function readCadence(path: string): CadenceFile & { file: string } {
  const near = relative(process.cwd(), path);
  const file = near && !near.startsWith('..') ? near : path;
  const doc = parseDocument(readFileSync(path, 'utf8'));
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new CadenceError(`${file}:${e.linePos?.[0].line ?? '?'}: not valid YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  const parsed = CadenceFile.safeParse(doc.toJS());
  if (!parsed.success) throw new CadenceError(`${file}: ${describe(parsed.error)}`);
  return { ...parsed.data, file };
}

/** The first problems of a validation, each as `key.path: message`. */
function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`)
    .join('; ');
}

/** Checks the files against each other: one cadence per segment, one for the rest, contact rules once. */
function combine(files: (CadenceFile & { file: string })[]): Cadences {
  const names = new Map<string, string>();
  const segments = new Map<string, string>();
  for (const c of files) {
    if (names.has(c.name)) throw new CadenceError(`${c.file}: name: '${c.name}' is also the name of ${names.get(c.name)}`);
    names.set(c.name, c.file);
    for (const s of c.segments ?? []) {
      if (segments.has(s)) throw new CadenceError(`${c.file}: segments: '${s}' already has a cadence, in ${segments.get(s)}`);
      segments.set(s, c.file);
    }
  }
  const rest = files.filter((c) => !c.segments);
  if (rest.length > 1) throw new CadenceError(`${rest[1].file}: segments: ${rest[0].file} already applies to every customer no cadence names; name this one's segments`);
  for (const c of files) {
    if (c.segments && (c.countries || c.default_country)) {
      throw new CadenceError(`${c.file}: countries: contact rules are the company's, for every cadence: write them in the cadence without segments`);
    }
  }
  const rules = rest[0];
  if (!rules?.countries || !rules.default_country) {
    throw new CadenceError(`${rules?.file ?? files[0].file}: countries: the cadence without segments must give the contact rules (countries and default_country)`);
  }
  return {
    cadences: [...files.filter((c) => c.segments), ...rest],
    defaultCountry: rules.default_country,
    countries: rules.countries,
  };
}
