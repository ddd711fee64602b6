/**
 * CFDI benchmark (#23: 100,000 CFDIs, a mid-size company's year, in <= 60 s): `cartera ingest` (the
 * compiled CLI, a whole process) of a folder of about N CFDI 4.0 files from the project's generator,
 * and of a zip of the same files, beside two peers doing the same work in the same run: PostgreSQL
 * reading each file as text into its xml type and taking the same attributes with xpath(), and
 * DuckDB reading the files with read_text() and taking them with regular expressions (it has no XML
 * functions). Each peer fills two tables like Cartera's: one row per Comprobante, one per DoctoRelacionado.
 *
 * Run alone: node --import tsx test/bench/cfdi.ts [files]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { memoryLimit } from '../../src/db/warehouse.ts';
import { generateExports } from '../../src/generate/generate.ts';
import { CFDI_FOLDERS } from '../../src/generate/cfdi/cfdi-set.ts';
import { compiledCli } from './compiled.ts';
import { measure, type ProcessRun } from './ingest.ts';
import { startPostgres } from './postgres.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** The generated demo as about `files` CFDIs (an invoice makes about two: itself and its payment's complement), written once. */
async function cfdiDemo(dir: string, files: number, log: (l: string) => void): Promise<string> {
  const out = join(dir, 'demo');
  if (!existsSync(join(out, 'README.txt'))) {
    log(`generating about ${files.toLocaleString()} CFDI files in ${out} ...`);
    rmSync(out, { recursive: true, force: true });
    const invoices = Math.round(files / 2);
    await generateExports({ out, invoices, customers: Math.max(50, Math.round(invoices / 40)), seed: 7, end: '2026-10-31', years: 3, dialect: 'cfdi' });
  }
  return join(out, 'cfdi');
}

/** A zip of the folder (Info-ZIP's `zip`, deflated), written once; null when the command is absent. */
function zipOf(folder: string, zip: string): string | null {
  if (existsSync(zip)) return zip;
  try {
    execFileSync('zip', ['-qr', `${zip}.tmp`, '.'], { cwd: folder, stdio: 'inherit' }); // '.tmp' is an extension: zip adds no '.zip'
  } catch {
    return null;
  }
  renameSync(`${zip}.tmp`, zip);
  return zip;
}

// The attributes Cartera reads, by engine: a Comprobante's and a DoctoRelacionado's (with its Pago's).
const COMPROBANTE = ['UUID', 'Serie', 'Folio', 'Fecha', 'TipoDeComprobante', 'Total', 'Moneda', 'TipoCambio', 'MetodoPago', 'FormaPago', 'CondicionesDePago'];
const DOCTO = ['IdDocumento', 'MonedaDR', 'EquivalenciaDR', 'NumParcialidad', 'ImpSaldoAnt', 'ImpPagado', 'ImpSaldoInsoluto'];
const PAGO = ['FechaPago', 'FormaDePagoP', 'MonedaP', 'Monto'];

/** DuckDB: read_text() of every file, attributes by regular expression; seconds of the statements alone. */
async function duckdbPeer(folder: string): Promise<{ seconds: number; documents: number; doctos: number }> {
  const inst = await DuckDBInstance.create(':memory:', { memory_limit: memoryLimit() });
  const conn = await inst.connect();
  const attr = (src: string, name: string) => `nullif(regexp_extract(${src}, '\\s${name}="([^"]*)"', 1), '') as "${name}"`;
  const files = (sub: string) => `read_text('${join(folder, sub, '*.xml').replace(/'/g, "''")}')`;
  // Straight from the files in each statement: a table of every text first ran out of DuckDB's memory limit at 100,000 files.
  await conn.run(`set preserve_insertion_order = false`);
  const t0 = performance.now();
  await conn.run(`create table documents as
    select filename, ${COMPROBANTE.filter((a) => a !== 'UUID').map((a) => attr("regexp_extract(content, '<cfdi:Comprobante[^>]*>')", a)).join(', ')},
           ${attr("regexp_extract(content, '<tfd:TimbreFiscalDigital[^>]*>')", 'UUID')},
           ${attr("regexp_extract(content, '<cfdi:Receptor[^>]*>')", 'Rfc')}, ${attr("regexp_extract(content, '<cfdi:Receptor[^>]*>')", 'Nombre')}
      from ${files('*')}`);
  await conn.run(`create table doctos as
    select filename, ${PAGO.map((a) => attr('pago', a)).join(', ')}, ${DOCTO.map((a) => attr('docto', a)).join(', ')}
      from (select filename, unnest(regexp_extract_all(content, '(?s)<pago20:Pago\\s[^>]*>.*?</pago20:Pago>')) as pago_xml from ${files('pago')})
      cross join lateral (select regexp_extract(pago_xml, '<pago20:Pago\\s[^>]*>') as pago)
      cross join lateral (select unnest(regexp_extract_all(pago_xml, '<pago20:DoctoRelacionado\\s[^>]*>')) as docto)`);
  const seconds = (performance.now() - t0) / 1000;
  const count = async (t: string) => Number((await conn.runAndReadAll(`select count(*) from ${t}`)).getRows()[0][0]);
  const out = { seconds, documents: await count('documents'), doctos: await count('doctos') };
  conn.closeSync();
  inst.closeSync();
  return out;
}

/** PostgreSQL: pg_read_file() of every file cast to xml, attributes by xpath(); seconds of the psql run. */
function postgresPeer(folder: string): { version: string; seconds: number; documents: number; doctos: number } | null {
  const pg = startPostgres();
  if (!pg) return null;
  try {
    const ns = `array[array['cfdi', 'http://www.sat.gob.mx/cfd/4'], array['tfd', 'http://www.sat.gob.mx/TimbreFiscalDigital'], array['pago20', 'http://www.sat.gob.mx/Pagos20']]`;
    const x = (doc: string, path: string, name: string) => `(xpath('${path}/@${name}', ${doc}, ${ns}))[1]::text as "${name}"`;
    const dirs = CFDI_FOLDERS.map((f) => `'${join(folder, f.replace(/^cfdi\//, '')).replace(/'/g, "''")}'`);
    const sql = `
      create table files as select d || '/' || f as filename, pg_read_file(d || '/' || f)::xml as doc
        from unnest(array[${dirs.join(', ')}]) d, pg_ls_dir(d) f;
      create table documents as
        select filename, ${COMPROBANTE.filter((a) => a !== 'UUID').map((a) => x('doc', '/cfdi:Comprobante', a)).join(', ')},
               ${x('doc', '/cfdi:Comprobante/cfdi:Complemento/tfd:TimbreFiscalDigital', 'UUID')},
               ${x('doc', '/cfdi:Comprobante/cfdi:Receptor', 'Rfc')}, ${x('doc', '/cfdi:Comprobante/cfdi:Receptor', 'Nombre')}
          from files;
      create table doctos as
        select filename, ${PAGO.map((a) => x('pago', '/pago20:Pago', a)).join(', ')}, ${DOCTO.map((a) => x('docto', '/pago20:DoctoRelacionado', a)).join(', ')}
          from files, unnest(xpath('/cfdi:Comprobante/cfdi:Complemento/pago20:Pagos/pago20:Pago', doc, ${ns})) pago,
               unnest(xpath('/pago20:Pago/pago20:DoctoRelacionado', pago, ${ns})) docto;`;
    const t0 = performance.now();
    pg.psql(sql);
    const seconds = (performance.now() - t0) / 1000;
    const [documents, doctos] = pg.psql(`select (select count(*) from documents) || ' ' || (select count(*) from doctos)`).trim().split(' ').map(Number);
    return { version: pg.psql('show server_version').trim().split(' ')[0], seconds, documents, doctos };
  } finally {
    pg.stop();
  }
}

export async function benchCfdi(opts: { files: number; log?: (l: string) => void }) {
  const log = opts.log ?? ((l: string) => process.stdout.write(l + '\n'));
  const dir = join(ROOT, 'data/bench', `cfdi-${opts.files}`);
  mkdirSync(dir, { recursive: true });
  const folder = await cfdiDemo(dir, opts.files, log);
  const count = CFDI_FOLDERS.reduce((n, f) => n + readdirSync(join(folder, f.replace(/^cfdi\//, ''))).length, 0);
  const zip = zipOf(folder, join(dir, 'cfdi.zip'));
  const cli = compiledCli(log);
  const fresh = (name: string) => {
    const p = join(dir, name);
    for (const f of [p, `${p}.wal`]) rmSync(f, { force: true });
    return p;
  };
  const ours = await measure(process.execPath, [cli, 'ingest', folder, '--db', fresh('cartera.duckdb'), '--json']);
  const fromZip = zip ? await measure(process.execPath, [cli, 'ingest', zip, '--db', fresh('cartera-zip.duckdb'), '--json']) : null;
  const summary = (r: ProcessRun) => (r.code === 0 ? (JSON.parse(r.stdout.trim().split('\n').pop()!) as { cfdi: { invoices: number; creditNotes: number; payments: number } }).cfdi : undefined);
  const rate = (s: number) => `${Math.round(count / s).toLocaleString().padStart(7)} files/s`;
  const line = (label: string, s: number, extra = '') => log(`  ${label.padEnd(48)}${s.toFixed(2).padStart(7)} s  ${rate(s)}${extra}`);
  const mib = (p: string) => (statSync(p).size / 2 ** 20).toFixed(0);
  log('');
  log(`cfdi: ${count.toLocaleString()} CFDI 4.0 files (${CFDI_FOLDERS.join(', ')}), zip ${zip ? `${mib(zip)} MiB` : 'skipped (no zip command)'}`);
  const s = summary(ours);
  line('cartera ingest folder (compiled CLI, start-up in)', ours.seconds, `   cpu ${ours.cpuSeconds.toFixed(1)} s   peak ${ours.peakMiB.toFixed(0)} MiB   ${s ? `${s.invoices} invoices, ${s.creditNotes} credit notes, ${s.payments} payments` : `FAILED (exit ${ours.code})`}`);
  if (fromZip) line('cartera ingest zip', fromZip.seconds, `   cpu ${fromZip.cpuSeconds.toFixed(1)} s   peak ${fromZip.peakMiB.toFixed(0)} MiB   ${summary(fromZip) ? '' : `FAILED (exit ${fromZip.code})`}`);
  const duck = await duckdbPeer(folder);
  line('DuckDB read_text + regexp (statements only)', duck.seconds, `   ${duck.documents} documents, ${duck.doctos} DoctoRelacionado`);
  const pg = postgresPeer(folder);
  if (pg) line(`PostgreSQL ${pg.version} pg_read_file::xml + xpath()`, pg.seconds, `   ${pg.documents} documents, ${pg.doctos} DoctoRelacionado`);
  else log("  PostgreSQL: skipped (Debian's postgresql package is not installed)");
  log(`  target: ${count.toLocaleString()} files in <= 60 s (${Math.round(count / 60).toLocaleString()} files/s); cartera ${ours.seconds <= 60 ? 'meets it' : 'MISSES it'}`);
  if (!s || (fromZip && !summary(fromZip))) throw new Error('a cartera ingest run failed');
  return { count, ours, fromZip, duck, pg };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchCfdi({ files: Number(process.argv[2] ?? 100_000) });
}
