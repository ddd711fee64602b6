/**
 * The receivable CFDIs of one load as four stages (customers, invoices, credit notes, payments), each
 * gathering the rows of every file: a stage per file made 100,000 batches of a year's CFDIs. Each row
 * keeps its own file and its element's line (extra's `file` and `file_line`), and the load's rejects
 * and warnings name them (Stage.origin), as a stage per file did.
 */
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import type { Warehouse } from '../../../db/warehouse.ts';
import type { Stage } from '../stage.ts';
import { CfdiRows, CREDIT_NOTE_MAPPING, CUSTOMER_MAPPING, INVOICE_MAPPING, PAYMENT_MAPPING, creditNoteRow, invoiceRow, paymentRow, type Cells, type DueDateSource } from './stages.ts';
import type { CfdiDocument } from './types.ts';

/** A stage of the load, with the label and hash its batch is known by, and the files whose rows it holds. */
export interface LoadStage {
  file: string;
  sha: string;
  stage: Stage;
  files: { file: string; sha: string }[];
}

/** Rows of many files in one stage, with what each file contributed. */
class Gathered {
  readonly rows: CfdiRows;
  private readonly files = new Map<string, string>();
  /** Each note once, with how many files gave it and the first. */
  private readonly notes = new Map<string, { files: number; first: string }>();

  constructor(...args: ConstructorParameters<typeof CfdiRows>) {
    this.rows = new CfdiRows(...args);
  }

  add(file: string, sha: string, line: number, cells: Cells, notes: string[]): void {
    this.rows.add(this.rows.count + 1, { ...cells, file, file_line: line });
    if (!this.files.has(file)) for (const n of notes) this.notes.set(n, { files: (this.notes.get(n)?.files ?? 0) + 1, first: this.notes.get(n)?.first ?? file });
    this.files.set(file, sha);
  }

  async stage(wh: Warehouse, afterLoad: (files: LoadStage['files']) => Stage['afterLoad']): Promise<LoadStage | undefined> {
    if (!this.rows.count) return undefined;
    const files = [...this.files].map(([file, sha]) => ({ file, sha }));
    const notes = [...this.notes].map(([note, { files: n, first }]) => (n === 1 ? `${first}: ${note}` : `${note} (${n} files, the first ${first})`));
    const stage = await this.rows.stage(wh, { notes, afterLoad: afterLoad(files), origin: { file: 'file', line: 'file_line' } });
    return { file: labelOf(files), sha: shaOf(files), stage, files };
  }
}

/** A batch's label: its one file, else the folder its files share and how many they are. */
function labelOf(files: { file: string }[]): string {
  if (files.length === 1) return files[0].file;
  let common = dirname(files[0].file);
  for (const { file } of files) while (!file.startsWith(`${common}/`) && common !== dirname(common)) common = dirname(common);
  return `${common} (${files.length} CFDI files)`;
}

/** A batch's hash: of its files' hashes, so no file of its own can match it (each file is in ingest_files). */
const shaOf = (files: { sha: string }[]) => createHash('sha256').update(files.map((f) => f.sha).sort().join('\n')).digest('hex');

/** Gathers the receivable CFDIs of a load, document by document, into one stage per kind of row. */
export class CfdiLoadStages {
  private readonly customers = new Gathered('customers', CUSTOMER_MAPPING);
  private readonly invoices = new Gathered('invoices', INVOICE_MAPPING);
  private readonly creditNotes = new Gathered('invoices', CREDIT_NOTE_MAPPING);
  private readonly payments = new Gathered('payments', PAYMENT_MAPPING);

  /** Adds a document's invoice, credit note or payments; answers where an invoice's due date came from. */
  addDocument(file: string, sha: string, doc: CfdiDocument, terms: number | undefined): DueDateSource | undefined {
    let dueFrom: DueDateSource | undefined;
    doc.records.forEach((r, i) => {
      if (r.record === 'invoice') {
        const row = invoiceRow(r, terms);
        dueFrom = row.dueFrom;
        this.invoices.add(file, sha, doc.lines[i], row.cells, doc.notes);
      } else if (r.record === 'credit_note') {
        const { cells, notes } = creditNoteRow(r);
        this.creditNotes.add(file, sha, doc.lines[i], cells, [...doc.notes, ...notes]);
      } else {
        this.payments.add(file, sha, doc.lines[i], paymentRow(r, doc.issued_date), doc.notes);
      }
    });
    return dueFrom;
  }

  /** Adds a customer first named by `file` at `line`. */
  addCustomer(file: string, sha: string, line: number, rfc: string, name: string | null): void {
    this.customers.add(file, sha, line, { 'Receptor Rfc': rfc, 'Receptor Nombre': name }, []);
  }

  /** The stages, in load order; `afterLoad` gives each its checks, knowing its files. */
  async stages(wh: Warehouse, afterLoad: (files: LoadStage['files'], warnings: boolean) => Stage['afterLoad']): Promise<{ customers: LoadStage[]; documents: LoadStage[]; payments: LoadStage[] }> {
    const one = async (g: Gathered, warnings: boolean) => {
      const s = await g.stage(wh, (files) => afterLoad(files, warnings));
      return s ? [s] : [];
    };
    return {
      customers: await one(this.customers, false),
      documents: [...(await one(this.invoices, false)), ...(await one(this.creditNotes, true))],
      payments: await one(this.payments, false),
    };
  }
}
