/**
 * CFDIs (Mexican e-invoices) into stages: XML files, zips of them and the SAT's metadata file, read
 * by content. Settles what needs every file of the load at once (the company's own RFC, payables,
 * UUIDs seen twice, customers first seen) and hands `ingestFiles` one stage per entity for all the
 * CFDIs of the load (and one per metadata file), which then load like any other reader's. Any file
 * that cannot be read stops the whole load.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { InputError } from '../db/errors.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { loadedBefore } from './loaded-before.ts';
import { zipEntries, type ZipEntry } from './readers/cfdi/zip-entries.ts';
import type { Stage } from './readers/stage.ts';
import { CfdiError, parseCfdi, type CfdiDocument } from './readers/cfdi/parse.ts';
import { isSatMetadataHead, parseSatMetadata, type SatMetadataRow } from './readers/cfdi/metadata.ts';
import { CfdiLoadStages, type LoadStage } from './readers/cfdi/load-stages.ts';
import { CANCELLATION_MAPPING, CfdiRows, cancellationRow, type DueDateSource } from './readers/cfdi/stages.ts';

export interface CfdiOptions {
  /** The company's own RFC (--rfc); detected when absent. */
  rfc?: string;
  /** Days of credit for invoices whose CondicionesDePago states none (--terms). */
  terms?: number;
  /** Read every file given as CFDI (--entity cfdi). */
  force?: boolean;
}

/** What a load of CFDIs did, for its summary. */
export interface CfdiSummary {
  companyRfc: string | null;
  /** How the company's RFC was settled: --rfc, the issuer of most Ingreso, or an earlier load's. */
  rfcFrom: 'given' | 'detected' | 'earlier load' | 'none';
  invoices: number;
  creditNotes: number;
  payments: number;
  /** CFDIs the company received: payables, skipped. */
  payables: number;
  /** CFDIs neither issued nor received by the company, skipped. */
  otherParties: number;
  /** Traslado and Nómina CFDIs, skipped. */
  notReceivables: number;
  dueDates: Record<DueDateSource, number>;
  /** Invoices the SAT metadata shows cancelled: each leaves receivables on its cancellation date. */
  cancellations: number;
  /** Metadata rows not acted on: in force, another party's, or a cancelled credit note or payment. */
  metadataIgnored: number;
}

export interface CfdiInput {
  file: string;
  /** Its hash, when the caller has checked it against earlier loads; else it is hashed and checked as it is read. */
  sha?: string;
  /** Whether its first bytes are a zip's. */
  zip: boolean;
}

/** Whether `ingestFiles` should hand a file to the CFDI reader: XML (by name or first bytes), zips, SAT metadata. */
export function isCfdiInput(file: string, head: Buffer, force = false): boolean {
  const ext = extname(file).toLowerCase();
  if (force || ext === '.xml' || isSatMetadataHead(head)) return true;
  if (ext === '.zip') return true;
  return /^(\uFEFF)?\s*<(\?xml|[A-Za-z_][\w.-]*:Comprobante)/.test(head.subarray(0, 512).toString('utf8'));
}

interface Entry {
  label: string;
  sha: string;
  text: string;
  /** Whether it still has to be checked against this load's other files and earlier loads. */
  unchecked: boolean;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * The CFDI and metadata texts of an input: the file itself, or a zip's entries one at a time, each
 * read and inflated as it is reached (never the whole zip in memory: see zip-entries.ts).
 */
async function* entriesOf(input: CfdiInput, skipped: { file: string; reason: string }[]): AsyncGenerator<Entry> {
  if (!input.zip) {
    if (extname(input.file).toLowerCase() === '.zip') throw new InputError(`${input.file}: not a zip archive (its first bytes are not a zip's)`);
    const bytes = readFileSync(input.file);
    yield { label: input.file, sha: input.sha ?? sha256(bytes), text: bytes.toString('utf8'), unchecked: input.sha === undefined };
    return;
  }
  const entries = zipEntries(input.file);
  try {
    for (;;) {
      let next: IteratorResult<ZipEntry>;
      try {
        next = entries.next();
      } catch (e) {
        throw new InputError(`${input.file}: a damaged or truncated zip: its directory cannot be read (${(e as Error).message})`);
      }
      if (next.done) return;
      const f = next.value;
      if (f.directory) continue;
      const label = `${input.file}!/${f.path}`;
      const ext = extname(f.path).toLowerCase();
      if (ext !== '.xml' && ext !== '.txt') {
        skipped.push({ file: label, reason: 'neither a CFDI (.xml) nor a SAT metadata file (.txt)' });
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = f.read();
      } catch (e) {
        throw new InputError(`${label}: cannot be read from the zip: ${(e as Error).message.split('\n')[0]}`);
      }
      if (ext === '.txt' && !isSatMetadataHead(bytes.subarray(0, 64))) {
        skipped.push({ file: label, reason: 'a text file that is not SAT metadata (Uuid~RfcEmisor~...)' });
        continue;
      }
      yield { label, sha: sha256(bytes), text: bytes.toString('utf8'), unchecked: true };
    }
  } finally {
    entries.return(undefined); // closes the zip, also when a caller stops at a bad entry
  }
}

interface ParsedDoc {
  label: string;
  sha: string;
  doc: CfdiDocument;
}

interface ParsedMetadata {
  label: string;
  sha: string;
  rows: SatMetadataRow[];
}

/** A CfdiError as the load's one-line message. */
function asInputError(e: unknown): unknown {
  return e instanceof CfdiError ? new InputError(e.message) : e;
}

/**
 * A copy of a parsed document whose strings are its own: the parser's are slices of the file's text,
 * which kept every text of the load alive until its end (three times the memory, and the collector's
 * time with it, at 100,000 files).
 */
const detached = (doc: CfdiDocument): CfdiDocument => JSON.parse(JSON.stringify(doc)) as CfdiDocument;

/** Every CFDI and metadata file of the inputs, parsed, less those loaded before or seen twice. */
async function parseInputs(wh: Warehouse, inputs: CfdiInput[], seen: Set<string>, skipped: { file: string; reason: string }[]): Promise<{ docs: ParsedDoc[]; metadata: ParsedMetadata[] }> {
  const docs: ParsedDoc[] = [];
  const metadata: ParsedMetadata[] = [];
  const entries: string[] = []; // hashes of files not checked yet, asked about at the end in one query
  for (const input of inputs) {
    for await (const e of entriesOf(input, skipped)) {
      if (e.unchecked) {
        if (seen.has(e.sha)) {
          skipped.push({ file: e.label, reason: 'same content as another file of this load' });
          continue;
        }
        seen.add(e.sha);
        entries.push(e.sha);
      }
      try {
        if (isSatMetadataHead(e.text.slice(0, 64))) metadata.push({ label: e.label, sha: e.sha, rows: parseSatMetadata(e.text, e.label) });
        else docs.push({ label: e.label, sha: e.sha, doc: detached(parseCfdi(e.text, e.label)) });
      } catch (err) {
        throw asInputError(err);
      }
    }
  }
  const priors = await loadedBefore(wh, entries);
  if (!priors.size) return { docs, metadata };
  const fresh = <T extends { label: string; sha: string }>(parsed: T[]) =>
    parsed.filter((p) => {
      const prior = priors.get(p.sha);
      if (prior !== undefined) skipped.push({ file: p.label, reason: `already loaded (batch ${prior})` });
      return prior === undefined;
    });
  return { docs: fresh(docs), metadata: fresh(metadata) };
}

/** The part of a load's summary that counts documents. */
function emptySummary(rfc: string | null, from: CfdiSummary['rfcFrom']): CfdiSummary {
  return {
    companyRfc: rfc, rfcFrom: from, invoices: 0, creditNotes: 0, payments: 0, payables: 0, otherParties: 0, notReceivables: 0,
    dueDates: { CondicionesDePago: 0, '--terms': 0, none: 0 }, cancellations: 0, metadataIgnored: 0,
  };
}

/**
 * Reads every CFDI input of a load into stages, in the order they must load: customers first seen,
 * invoices, then credit notes and cancellations (which name invoices), then payments. The CFDIs'
 * rows go into one stage per entity (see load-stages.ts); each metadata file is a stage of its own.
 */
export async function readCfdiInputs(
  wh: Warehouse,
  inputs: CfdiInput[],
  opts: CfdiOptions,
  seen: Set<string>,
): Promise<{ pending: { file: string; sha: string; stage: Stage }[]; skipped: { file: string; reason: string }[]; summary: CfdiSummary }> {
  const skipped: { file: string; reason: string }[] = [];
  const { docs, metadata } = await parseInputs(wh, inputs, seen, skipped);
  await refuseChangedUuids(wh, docs);
  const { rfc, from } = await companyRfc(wh, docs, opts.rfc);
  const summary = emptySummary(rfc, from);
  if (rfc === null && (docs.length || metadata.length)) {
    throw new InputError(`${(docs[0] ?? metadata[0]).label}: cannot tell the company's own RFC from these files: give it with --rfc`);
  }
  const afterLoad = (files: LoadStage['files'], warnings: boolean) => async (batchId: number, where: string) => {
    await wh.run(`update ingest_batches set mapping = json_merge_patch(mapping, json_object('cfdi_company_rfc', $2::varchar)) where batch_id = $1`, [batchId, rfc]);
    if (files.length) {
      await wh.run(`insert into ingest_files select $1, f.file, f.sha from (select unnest(from_json($2::json, '[{"file":"VARCHAR","sha":"VARCHAR"}]')) as f)`, [batchId, JSON.stringify(files)]);
    }
    if (warnings) await warnOfUnknownInvoices(wh, batchId, where);
  };

  const receivable = docs.filter(({ doc }) => {
    if (doc.kind === 'other') summary.notReceivables++;
    else if (doc.issuer_rfc === rfc) return true;
    else if (doc.receiver_rfc === rfc) summary.payables++;
    else summary.otherParties++;
    return false;
  });
  const known = new Set((await wh.all<{ customer_id: string }>(`select distinct customer_id from raw_customers where not rejected`)).map((r) => r.customer_id));
  const gathered = new CfdiLoadStages();
  // In load order, so a customer's row comes from the first invoice that names it, whatever the folders' names.
  const LOAD_ORDER = ['ingreso', 'egreso', 'pago'];
  receivable.sort((a, b) => LOAD_ORDER.indexOf(a.doc.kind) - LOAD_ORDER.indexOf(b.doc.kind));
  for (const { label, sha, doc } of receivable) {
    const dueFrom = gathered.addDocument(label, sha, doc, opts.terms);
    if (dueFrom) summary.dueDates[dueFrom]++;
    if (doc.kind === 'ingreso') summary.invoices++;
    else if (doc.kind === 'egreso') summary.creditNotes++;
    else summary.payments += doc.records.length;
    if (!known.has(doc.customer_id)) {
      known.add(doc.customer_id);
      const name = doc.records.flatMap((r) => (r.record === 'payment' ? [] : [r.customer_name]))[0] ?? null;
      gathered.addCustomer(label, sha, doc.lines[0] ?? 1, doc.customer_id, name);
    }
  }
  const cancellations = await cancellationStages(wh, metadata, receivable, rfc, summary, (files) => afterLoad(files, true));
  const stages = await gathered.stages(wh, afterLoad);
  return { pending: [...stages.customers, ...stages.documents, ...cancellations, ...stages.payments], skipped, summary };
}

/** Each metadata file's cancellations as a stage of its own, counted in `summary`. */
async function cancellationStages(
  wh: Warehouse,
  metadata: ParsedMetadata[],
  receivable: ParsedDoc[],
  rfc: string | null,
  summary: CfdiSummary,
  afterLoad: (files: LoadStage['files']) => Stage['afterLoad'],
): Promise<{ file: string; sha: string; stage: Stage }[]> {
  const invoices = new Map(receivable.flatMap(({ doc }) => doc.records.flatMap((r) => (r.record === 'invoice' && r.invoice_id ? [[r.invoice_id, { amount: r.amount, currency: r.currency, customer_id: r.customer_id }] as const] : []))));
  const cancelled = new Set<string>();
  const out = [];
  for (const { label, sha, rows } of metadata) {
    const picked = rows.filter((m) => {
      const act = m.status === '0' && m.kind === 'I' && m.issuer_rfc === rfc && !cancelled.has(m.uuid);
      if (act) cancelled.add(m.uuid);
      else summary.metadataIgnored++;
      return act;
    });
    summary.cancellations += picked.length;
    const cells = new CfdiRows('invoices', CANCELLATION_MAPPING);
    for (const m of picked) cells.add(m.line, cancellationRow(m, invoices.get(m.uuid) ?? (await loadedInvoice(wh, m.uuid))));
    const notes = [`SAT metadata: ${rows.length} CFDIs listed, ${picked.length} cancelled invoices of ${rfc ?? 'the company'} leave receivables on their cancellation date`];
    out.push({ file: label, sha, stage: await cells.stage(wh, { notes, afterLoad: afterLoad([]) }) });
  }
  return out;
}

/** An invoice loaded before, as a cancellation needs it. */
async function loadedInvoice(wh: Warehouse, uuid: string): Promise<{ amount: string; currency: string; customer_id: string } | undefined> {
  const r = await wh.all<{ amount: string; currency: string; customer_id: string }>(
    `select amount::varchar as amount, currency, customer_id from raw_invoices where invoice_id = $1 and not rejected and document_type = 'invoice' order by batch_id desc limit 1`,
    [uuid],
  );
  return r[0];
}

/**
 * The company's own RFC: --rfc, else the issuer of most Ingreso CFDIs of this load, else the one an
 * earlier load settled, else the issuer of most CFDIs of this load.
 */
async function companyRfc(wh: Warehouse, docs: ParsedDoc[], given: string | undefined): Promise<{ rfc: string | null; from: CfdiSummary['rfcFrom'] }> {
  if (given) return { rfc: given.trim().toUpperCase(), from: 'given' };
  const most = (kinds: string[]) => {
    const counts = new Map<string, number>();
    for (const { doc } of docs) if (kinds.includes(doc.kind)) counts.set(doc.issuer_rfc, (counts.get(doc.issuer_rfc) ?? 0) + 1);
    const ranked = [...counts].sort((a, b) => b[1] - a[1]);
    if (ranked.length > 1 && ranked[0][1] === ranked[1][1]) {
      throw new InputError(`cannot tell the company's own RFC: ${ranked[0][0]} and ${ranked[1][0]} issued as many CFDIs (${ranked[0][1]}) each: give it with --rfc`);
    }
    return ranked[0]?.[0];
  };
  const fromInvoices = most(['ingreso']);
  if (fromInvoices) return { rfc: fromInvoices, from: 'detected' };
  const earlier = await wh.scalar<string>(`select json_extract_string(mapping, '$.cfdi_company_rfc') from ingest_batches
      where format = 'cfdi' and json_extract_string(mapping, '$.cfdi_company_rfc') is not null order by batch_id desc limit 1`);
  if (earlier) return { rfc: earlier, from: 'earlier load' };
  const fromAny = most(['egreso', 'pago']);
  return fromAny ? { rfc: fromAny, from: 'detected' } : { rfc: null, from: 'none' };
}

/** A stamped UUID is one document: the same UUID with other content, in this load or an earlier one, stops the load. */
async function refuseChangedUuids(wh: Warehouse, docs: ParsedDoc[]): Promise<void> {
  const byUuid = new Map<string, ParsedDoc>();
  for (const d of docs) {
    if (!d.doc.uuid) continue;
    const other = byUuid.get(d.doc.uuid);
    if (other) throw new InputError(`${d.label} <tfd:TimbreFiscalDigital>: UUID ${d.doc.uuid} is also in ${other.label}, with different content: load one of them`);
    byUuid.set(d.doc.uuid, d);
  }
  if (!byUuid.size) return;
  const earlier = await wh.all<{ uuid: string; file: string }>(
    `with uuids as (select unnest(from_json($1::json, '["VARCHAR"]')) as uuid)
     select r.invoice_id as uuid, coalesce(r.extra->>'file', b.file) as file from raw_invoices r join ingest_batches b using (batch_id) where b.format = 'cfdi' and r.invoice_id in (select uuid from uuids)
     union all
     select r.reference, coalesce(r.extra->>'file', b.file) from raw_payments r join ingest_batches b using (batch_id) where b.format = 'cfdi' and r.reference in (select uuid from uuids)
     limit 1`,
    [JSON.stringify([...byUuid.keys()])],
  );
  if (earlier.length) {
    const d = byUuid.get(earlier[0].uuid)!;
    throw new InputError(`${d.label} <tfd:TimbreFiscalDigital>: UUID ${d.doc.uuid} was loaded before from ${earlier[0].file}, with different content`);
  }
}

/** Credit notes and cancellations naming an invoice no load has brought are kept (applied once it arrives), with a warning. */
async function warnOfUnknownInvoices(wh: Warehouse, batchId: number, where: string): Promise<void> {
  await wh.run(
    `insert into ingest_rejects (batch_id, file, line, column_name, value, reason, severity)
     select $1, $2, c.source_line, json_extract_string(b.mapping, '$.columns.reference'), c.reference,
            'names an unknown invoice: kept, and applied once that invoice is loaded', 'warning'
       from raw_invoices c join ingest_batches b using (batch_id)
      where c.batch_id = $1 and not c.rejected and c.reference is not null
        and not exists (select 1 from raw_invoices i where i.invoice_id = c.reference and not i.rejected)`,
    [batchId, where],
  );
}
