/**
 * The structure of an .xlsx package, read from its own parts whatever program wrote it: each sheet's
 * name, visibility and part (from xl/workbook.xml and its relationships, which openpyxl, pandas,
 * LibreOffice and Excel each lay out their own way), and where the shared strings and styles are.
 */
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import unzipper from 'unzipper';
import { InputError } from '../../db/errors.ts';
import { KIND_MESSAGE, kindOf } from '../file-kinds.ts';
import type { FileScan } from '../files.ts';

export interface SheetPart {
  name: string;
  state: 'visible' | 'hidden' | 'veryHidden';
  /** The part's path in the zip, when the workbook's relationships name one that exists. */
  path?: string;
}

export interface WorkbookParts {
  sheets: SheetPart[];
  /** Opens a part (relationships, workbook, shared strings, styles, a sheet) as text chunks, or undefined when absent. */
  open(path: string | undefined): Readable | undefined;
  sharedStrings?: string;
  styles?: string;
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
    e[0] === '#' ? String.fromCodePoint(parseInt(e[1] === 'x' || e[1] === 'X' ? e.slice(2) : e.slice(1), e[1] === 'x' || e[1] === 'X' ? 16 : 10)) : (ENTITY[e] ?? m),
  );

/** The attributes of each element named `tag` (any namespace prefix), by local name. */
function elements(xml: string, tag: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of xml.matchAll(new RegExp(`<(?:[\\w.-]+:)?${tag}\\b([^>]*?)/?>`, 'g'))) {
    const attrs: Record<string, string> = {};
    for (const a of m[1].matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      const local = a[1].includes(':') && a[1].split(':')[1] === 'id' ? 'r:id' : a[1];
      attrs[local] = unescapeXml(a[2] ?? a[3]);
    }
    out.push(attrs);
  }
  return out;
}

/** A relationship's target as a path in the zip: '/xl/x.xml' and 'x.xml' (beside xl/workbook.xml) alike. */
const partPath = (target: string) => (target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join('xl', target)));

/**
 * Text chunks of a zip entry, decoded as a stream: a character split between two compressed
 * chunks stays whole (ExcelJS's own reader decodes chunk by chunk, which turned an á or ñ on a chunk
 * boundary into two replacement characters in large sheets).
 */
export function decoded(entry: NodeJS.ReadableStream, edit?: (text: string) => string): Readable {
  return Readable.from(
    (async function* () {
      const decoder = new TextDecoder('utf-8');
      let held = '';
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        const text = held + decoder.decode(chunk, { stream: true });
        // An edit sees whole tags: a tag still open at the end waits for the next chunk.
        const cut = edit ? text.lastIndexOf('<') : text.length;
        const ready = edit && cut > text.lastIndexOf('>') ? text.slice(0, cut) : text;
        held = text.slice(ready.length);
        if (ready) yield edit ? edit(ready) : ready;
      }
      const rest = held + decoder.decode();
      if (rest) yield edit ? edit(rest) : rest;
    })(),
    { objectMode: true },
  );
}

/**
 * Opens a workbook's package and reads its structure. A file that is not an .xlsx workbook (empty,
 * text, a zip of something else, an .xls or .ods, a truncated download) is an `InputError` of one line.
 */
export async function openWorkbook(path: string, label: string, scan: FileScan): Promise<WorkbookParts> {
  if (scan.bytes === 0) throw new InputError(`${label}: the file is empty (0 bytes)`);
  const kind = kindOf(scan.head);
  if (kind !== 'zip') {
    if (kind) throw new InputError(`${label}: ${KIND_MESSAGE[kind]}`);
    const text = scan.nulLine === undefined;
    throw new InputError(`${label}: not an Excel workbook: ${text ? 'it is a text file (if it is a CSV export, name it .csv)' : 'its first bytes are not those of a zip archive'}`);
  }
  let zip: Awaited<ReturnType<typeof unzipper.Open.file>>;
  try {
    zip = await unzipper.Open.file(path);
  } catch {
    throw new InputError(`${label}: a damaged or truncated workbook: its zip directory cannot be read`);
  }
  const files = new Map(zip.files.map((f) => [f.path, f]));
  const read = async (p: string) => (files.has(p) ? (await files.get(p)!.buffer()).toString('utf8') : undefined);
  const book = await read('xl/workbook.xml');
  if (book === undefined) {
    if ((await read('mimetype'))?.startsWith('application/vnd.oasis.opendocument.spreadsheet')) {
      throw new InputError(`${label}: an OpenDocument spreadsheet (.ods), not .xlsx: save it as .xlsx`);
    }
    const names = zip.files.map((f) => f.path).slice(0, 5).join(', ');
    throw new InputError(`${label}: not an Excel workbook: a zip archive without xl/workbook.xml (it holds ${names || 'nothing'})`);
  }
  const rels = elements((await read('xl/_rels/workbook.xml.rels')) ?? '', 'Relationship');
  const target = (type: string) => rels.find((r) => r.Type?.endsWith(`/${type}`))?.Target;
  const sheets = elements(book, 'sheet').map((s): SheetPart => {
    const rel = rels.find((r) => r.Id === s['r:id']);
    const p = rel?.Target ? partPath(rel.Target) : undefined;
    const state = s.state === 'hidden' || s.state === 'veryHidden' ? s.state : 'visible';
    return { name: s.name ?? '', state, path: p && files.has(p) ? p : undefined };
  });
  const shared = target('sharedStrings');
  const styles = target('styles');
  return {
    sheets,
    open: (p) => (p && files.has(p) ? files.get(p)!.stream() : undefined) as Readable | undefined,
    sharedStrings: shared ? partPath(shared) : files.has('xl/sharedStrings.xml') ? 'xl/sharedStrings.xml' : undefined,
    styles: styles ? partPath(styles) : files.has('xl/styles.xml') ? 'xl/styles.xml' : undefined,
  };
}
