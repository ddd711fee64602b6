import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { InputError } from '../db/errors.ts';
import { ENTITY_NAMES } from '../canonical/entities.ts';

/** Profiles shipped with Cartera for the layouts `cartera generate` writes. */
export const SHIPPED_PROFILES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../data/profiles');

/**
 * A reusable description of one export layout. Every key is optional: what a profile leaves out
 * is detected as usual.
 */
export const profileSchema = z.object({
  name: z.string().optional(),
  description: z.string().optional(),
  /** Glob on the file name (e.g. "facturas_*.csv"); a profile only applies to matching files. */
  match: z.string().optional(),
  entity: z.enum(ENTITY_NAMES).optional(),
  /** Canonical field -> source column. */
  columns: z.record(z.string(), z.string()).optional(),
  formats: z
    .object({ date: z.string().optional(), number: z.enum(['plain', 'dot', 'comma']).optional() })
    .optional(),
  csv: z.object({ delimiter: z.string().optional(), encoding: z.string().optional() }).optional(),
  sheet: z.string().optional(),
  /** Constant values for canonical fields the file does not carry, e.g. {"currency": "MXN"}. */
  defaults: z.record(z.string(), z.string()).optional(),
});
export type Profile = z.infer<typeof profileSchema>;

/** Loads a profile by file path or by the name of a shipped profile. */
export function loadProfile(nameOrFile: string): Profile {
  const candidates = [nameOrFile, join(SHIPPED_PROFILES_DIR, `${nameOrFile}.json`)];
  const file = candidates.find((c) => existsSync(c) && c.endsWith('.json'));
  if (!file) throw new InputError(`profile '${nameOrFile}' not found (looked for a file and for ${SHIPPED_PROFILES_DIR}/${nameOrFile}.json)`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`profile ${file}: not valid JSON: ${(e as Error).message}`);
  }
  const parsed = profileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`profile ${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return { name: basename(file, '.json'), ...parsed.data };
}

/** Whether a profile's `match` glob accepts a file name (no glob = every file). */
export function profileMatches(profile: Profile, fileName: string): boolean {
  if (!profile.match) return true;
  const re = new RegExp(`^${profile.match.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(basename(fileName));
}

/** Saves the mapping inferred for a file as a profile next to the warehouse, and returns its path. */
export function saveInferredProfile(dbPath: string, fileName: string, profile: Profile): string {
  const dir = join(dirname(dbPath), 'inferred-profiles');
  mkdirSync(dir, { recursive: true });
  const stem = basename(fileName).replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9_-]+/g, '_');
  const file = join(dir, `${stem}${profile.sheet ? `.${profile.sheet.replace(/[^A-Za-z0-9_-]+/g, '_')}` : ''}.json`);
  writeFileSync(file, JSON.stringify(profile, null, 2) + '\n');
  return file;
}
