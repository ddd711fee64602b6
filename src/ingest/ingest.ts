import { basename, resolve } from 'node:path';
import { InputError } from '../db/errors.ts';
import type { Warehouse } from '../db/warehouse.ts';
import type { EntityName } from '../canonical/entities.ts';
import { guessEntity } from './mapping.ts';
import { expandPaths, formatOf, scanFile, type FileScan } from './files.ts';
import { kindOf } from './file-kinds.ts';
import { loadedBefore } from './loaded-before.ts';
import { loadStage, type LoadOptions, type StageResult } from './load-stage.ts';
import { profileMatches, saveInferredProfile, type Profile } from './profiles.ts';
import { readCsv } from './readers/csv.ts';
import { readJson } from './readers/json.ts';
import { readParquet } from './readers/parquet.ts';
import type { Stage } from './readers/stage.ts';
import { prepareText } from './text-file.ts';
import { ensureRawSchema } from '../canonical/raw-schema.ts';
import { isCfdiInput, readCfdiInputs, type CfdiInput, type CfdiOptions, type CfdiSummary } from './cfdi-load.ts';

export interface IngestOptions extends Omit<LoadOptions, 'profile'> {
  profile?: Profile;
  sheet?: string;
  /** Warehouse path: inferred profiles are saved beside it. */
  dbPath?: string;
  /** CFDI options: the company's RFC, default terms, and whether every file is a CFDI (--entity cfdi). */
  cfdi?: CfdiOptions;
  /** Called as each file starts and ends (progress for terminals). */
  onProgress?: (event: { file: string; phase: 'read' | 'load' | 'done' | 'skipped'; result?: StageResult; batchOf?: number }) => void;
}

export interface IngestReport {
  loaded: StageResult[];
  skipped: { file: string; reason: string }[];
  profiles: string[];
  /** What the load's CFDIs gave, when it had any. */
  cfdi?: CfdiSummary;
}

// Customers and invoices first, so payments can be checked against the invoices of the same load.
const LOAD_ORDER: EntityName[] = ['customers', 'invoices', 'payments', 'disputes', 'promises_to_pay', 'collection_activities', 'fx_rates'];
const ORDER = (e: EntityName) => LOAD_ORDER.indexOf(e);

/**
 * Loads ERP exports into `raw_*` tables in ONE transaction: every file of the call or none.
 * A file whose bytes were loaded before (same SHA-256) is skipped, so loading twice changes nothing.
 *
 * @example
 *   const report = await ingestFiles(wh, ['exports/'], { strict: false });
 */
export async function ingestFiles(wh: Warehouse, paths: string[], opts: IngestOptions): Promise<IngestReport> {
  const files = expandPaths(paths, { anyFile: opts.cfdi?.force });
  await ensureRawSchema(wh);
  const report: IngestReport = { loaded: [], skipped: [], profiles: [] };
  const pending: { file: string; sha: string; stage: Stage; profile?: Profile }[] = [];
  try {
    await wh.transaction(async () => {
      const seen = new Set<string>();
      const cfdiInputs: CfdiInput[] = [];
      for (const path of files) {
        const file = resolve(path);
        // A CFDI by its name is hashed as it is read, with the rest of the load's (100,000 files are one query, not 100,000).
        if (formatOf(file) === 'xml') {
          cfdiInputs.push({ file, zip: false });
          continue;
        }
        const scan = await scanFile(file);
        const sha = scan.sha256;
        const prior = (await loadedBefore(wh, [sha])).get(sha);
        if (prior !== undefined || seen.has(sha)) {
          report.skipped.push({ file, reason: prior !== undefined ? `already loaded (batch ${prior})` : 'same content as another file of this load' });
          opts.onProgress?.({ file, phase: 'skipped' });
          continue;
        }
        seen.add(sha);
        if (isCfdiInput(file, scan.head, opts.cfdi?.force)) {
          cfdiInputs.push({ file, sha, zip: kindOf(scan.head) === 'zip' });
          continue;
        }
        opts.onProgress?.({ file, phase: 'read' });
        const profile = opts.profile && profileMatches(opts.profile, file) ? opts.profile : undefined;
        const read = await readFile(wh, file, scan, profile, opts.sheet);
        report.skipped.push(...read.skipped);
        for (const stage of read.stages) pending.push({ file, sha, stage, profile });
      }
      if (cfdiInputs.length) {
        const cfdi = await readCfdiInputs(wh, cfdiInputs, opts.cfdi ?? {}, seen);
        pending.push(...cfdi.pending);
        report.skipped.push(...cfdi.skipped);
        report.cfdi = cfdi.summary;
      }
      // Settle every stage's entity before loading, so the load order can follow dependencies.
      const entityOf = (p: (typeof pending)[number]) =>
        p.stage.known?.entity ?? p.profile?.entity ?? opts.entity ?? guessEntity(p.stage.headers, basename(p.file))?.entity ?? 'invoices';
      pending.sort((a, b) => ORDER(entityOf(a)) - ORDER(entityOf(b)));
      const runBatches = new Map<EntityName, number[]>();
      for (const p of pending) {
        opts.onProgress?.({ file: p.file, phase: 'load' });
        const result = await loadStage(wh, p.stage, p.file, p.sha, { ...opts, profile: p.profile }, runBatches);
        if (!result) {
          report.skipped.push({ file: `${p.file} (sheet ${p.stage.sheet})`, reason: 'sheet does not hold a known entity' });
          await wh.run(`drop table if exists ${p.stage.table}`);
          continue;
        }
        report.loaded.push(result);
        opts.onProgress?.({ file: p.file, phase: 'done', result });
      }
    }, { bulk: true });
  } finally {
    for (const p of pending) p.stage.dispose?.();
  }
  if (opts.dbPath) {
    for (const r of report.loaded) {
      if (opts.profile || r.format === 'cfdi') continue;
      report.profiles.push(
        saveInferredProfile(opts.dbPath, r.file, {
          name: basename(r.file).replace(/\.[^.]+$/, ''),
          description: `Inferred by cartera ingest from ${basename(r.file)}`,
          match: basename(r.file),
          entity: r.entity,
          columns: r.mapping,
          formats: firstFormats(r),
          ...(r.sheet ? { sheet: r.sheet } : {}),
        }),
      );
    }
  }
  return report;
}

function firstFormats(r: StageResult): Profile['formats'] {
  const fm = Object.values(r.formats);
  return { date: fm.find((f) => f.date)?.date, number: fm.find((f) => f.number)?.number };
}

/**
 * Reads one file into stages (one per sheet of a workbook), with what was left out and why. Anything
 * that stops a file being read is an `InputError` naming it: one line for the person who must fix
 * the file, never a reader's stack trace.
 */
async function readFile(
  wh: Warehouse,
  file: string,
  scan: FileScan,
  profile: Profile | undefined,
  sheet: string | undefined,
): Promise<{ stages: Stage[]; skipped: { file: string; reason: string }[] }> {
  try {
    switch (formatOf(file)) {
      case 'xlsx':
        // Loaded on demand: the XLSX library is a quarter of a second of start-up for every other file.
        return await (await import('./readers/xlsx.ts')).readXlsx(wh, file, file, scan, sheet ?? profile?.sheet);
      case 'json':
        return { stages: [await readJson(wh, file, file, scan)], skipped: [] };
      case 'parquet':
        return { stages: [await readParquet(wh, file, file, scan)], skipped: [] };
      default: {
        const text = await prepareText(file, file, scan, profile?.csv?.encoding);
        try {
          return { stages: [await readCsv(wh, text, file, { delimiter: profile?.csv?.delimiter })], skipped: [] };
        } catch (err) {
          text.dispose();
          throw err;
        }
      }
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${file}: cannot be read: ${(err as Error).message.split('\n')[0]}`);
  }
}
