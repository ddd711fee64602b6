/**
 * The mistakes a newcomer makes, each answered with one line that says what happened and the
 * command that fixes it, and an exit code a script can test; never a stack trace.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Command } from '../../src/cli/command.ts';
import { dispatch } from '../../src/cli/dispatch.ts';
import { withOutput } from '../../src/cli/output.ts';
import { COMMANDS } from '../../src/cli/registry.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { demoWarehouse } from '../support/demo-warehouse.ts';

/** Runs one `cartera` command line in this process (a child process costs a second of start-up per call). */
async function cartera(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await withOutput({ write: (c) => (out += String(c)) }, { write: (c) => (err += String(c)) }, () => dispatch(argv));
  return { code, out, err };
}

/** No line of a stack trace ("    at fn (file:line)") in what a user sees. */
const NO_STACK = /^\s+at\s/m;

let dir: string;
/** A warehouse file with nothing loaded. */
let empty: string;
/** Invoices loaded, never built. */
let loaded: string;
/** Loaded, built, scored and published (the demo warehouse). */
let published: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cartera-errors-'));
  empty = join(dir, 'empty.duckdb');
  (await Warehouse.open(empty)).close();
  loaded = join(dir, 'loaded.duckdb');
  const csv = join(dir, 'facturas.csv');
  writeFileSync(csv, 'invoice_id,customer_id,invoice_date,due_date,amount,currency\nF-1,C1,2026-01-10,2026-02-09,100.00,MXN\n');
  const r = await cartera('ingest', csv, '--db', loaded, '--json');
  expect(r.code, r.err).toBe(0);
  published = await demoWarehouse();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (published) rmSync(dirname(published), { recursive: true, force: true });
});

describe('a warehouse that is not there', () => {
  const cases: string[][] = [
    ['build'],
    ['score'],
    ['query', 'select 1'],
    ['call-list'],
    ['backtest', '--train-until', '2026-01-01'],
    ['vacuum'],
    ['export', 'dashboard', 'cfo', '--out', 'x.html'],
    ['notebook', 'concentracion-de-cartera'],
    ['user', 'list'],
    ['token', 'list'],
    ['serve', '--port', '0'],
  ];
  for (const args of cases) {
    test(`${args.join(' ')} with a mistyped --db says so, exits 1 and creates nothing`, async () => {
      const typo = join(dir, `typo-${args[0]}.duckdb`);
      const r = await cartera(...args, '--db', typo);
      expect(r.code).toBe(1);
      expect(r.err).toBe(`cartera: ${args[0] === 'serve' ? 'serve: ' : ''}no warehouse at ${typo}: check --db, or load one: cartera ingest PATH\n`);
      expect(existsSync(typo)).toBe(false);
    });
  }

  test('the commands that load create one: ingest, and refresh (which then says nothing was loaded)', async () => {
    const fresh = join(dir, 'fresh.duckdb');
    const csv = join(dir, 'one.csv');
    writeFileSync(csv, 'invoice_id,customer_id,invoice_date,amount\nF-9,C9,2026-03-01,5.00\n');
    expect((await cartera('ingest', csv, '--db', fresh, '--json')).code).toBe(0);
    expect(existsSync(fresh)).toBe(true);
    const inbox = mkdtempSync(join(dir, 'inbox-'));
    const viaRefresh = join(dir, 'via-refresh.duckdb');
    const r = await cartera('refresh', '--inbox', inbox, '--db', viaRefresh);
    expect(existsSync(viaRefresh)).toBe(true);
    expect(r).toMatchObject({ code: 1, err: `cartera: nothing loaded yet: ${viaRefresh} holds no invoices; load your exports: cartera ingest PATH\n` });
  });

  test('a file that is not a DuckDB database says so', async () => {
    const notDb = join(dir, 'notes.txt');
    writeFileSync(notDb, 'hello');
    const r = await cartera('query', 'select 1', '--db', notDb);
    expect(r).toEqual({ code: 1, out: '', err: `cartera: ${notDb} is not a DuckDB warehouse: check --db\n` });
  });
});

describe('nothing loaded yet: cartera ingest PATH', () => {
  for (const args of [['build'], ['score'], ['query', 'select * from fct_invoices'], ['call-list'], ['backtest', '--train-until', '2026-01-01']]) {
    test(args.join(' '), async () => {
      const r = await cartera(...args, '--db', empty);
      expect(r).toEqual({ code: 1, out: '', err: `cartera: nothing loaded yet: ${empty} holds no invoices; load your exports: cartera ingest PATH\n` });
    });
  }
});

describe('no build yet: cartera build', () => {
  for (const args of [
    ['score'],
    ['query', 'select * from fct_invoices'],
    ['call-list'],
    ['backtest', '--train-until', '2026-01-01'],
    ['export', 'dashboard', 'cfo', '--out', join(tmpdir(), 'never.html')],
    ['notebook', 'concentracion-de-cartera', '--out', join(tmpdir(), 'never.html')],
  ]) {
    test(args[0], async () => {
      const r = await cartera(...args, '--db', loaded);
      expect(r).toEqual({ code: 1, out: '', err: 'cartera: no build yet: run cartera build\n' });
    });
  }

  test("a query of a table that does not exist, once built, keeps DuckDB's own message and position", async () => {
    const r = await cartera('query', 'select * from fct_invoice', '--db', published);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^cartera: Catalog Error: Table with name fct_invoice does not exist!/);
    expect(r.err).toMatch(/LINE 1: select \* from fct_invoice\n\s+\^/);
  });

  test('an SQL syntax error: DuckDB message and where', async () => {
    const r = await cartera('query', 'selec * from fct_invoices', '--db', published);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^cartera: Parser Error: syntax error at or near "selec"\n\nLINE 1: selec \* from fct_invoices\n\s+\^/);
    expect(r.err).not.toMatch(NO_STACK);
  });
});

describe('a collector that does not exist', () => {
  test('names the ones that do (and the nearest), exit 2', async () => {
    const r = await cartera('call-list', '--collector', 'Ana Martines', '--db', published);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^cartera: call-list: no collector named 'Ana Martines' \(did you mean 'Ana Martínez'\?\); the collectors are: .*Ana Martínez.*\n$/);
    const none = await cartera('call-list', '--collector', 'Nobody', '--db', published);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/^cartera: call-list: no collector named 'Nobody'; the collectors are: [^\n]+\n$/);
  });
});

describe('the command line itself', () => {
  test('an unknown option: one line, the usage, no parseArgs paragraph; exit 2', async () => {
    const r = await cartera('query', '--formt', 'csv', 'select 1');
    expect(r).toEqual({
      code: 2,
      out: '',
      err: `cartera query: unknown option --formt (did you mean --format?)\nUsage: cartera query "SQL" [options]\nRun 'cartera query --help' for its options.\n`,
    });
    const far = await cartera('build', '--zzz');
    expect(far.err).toBe(`cartera build: unknown option --zzz\nUsage: cartera build [options]\nRun 'cartera build --help' for its options.\n`);
    expect(far.code).toBe(2);
  });

  test('an option without its value, or a flag given one; exit 2', async () => {
    expect(await cartera('query', 'select 1', '--db')).toMatchObject({ code: 2, err: expect.stringMatching(/^cartera query: --db needs a value\nUsage: /) });
    expect(await cartera('build', '--no-score=yes')).toMatchObject({ code: 2, err: expect.stringMatching(/^cartera build: --no-score takes no value\nUsage: /) });
  });

  test('an unknown command: the nearest one and the list; exit 2', async () => {
    const r = await cartera('buidl');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^cartera: unknown command 'buidl' \(did you mean 'build'\?\)\n\nUsage: cartera <command> \[options\]\n/);
  });

  test('--help lists every command, each of which loads under its own name and has a help', async () => {
    const r = await cartera('--help');
    expect(r.code).toBe(0);
    for (const [name, entry] of Object.entries(COMMANDS)) {
      expect(r.out).toContain(`\n  ${name.padEnd(12)}${entry.summary}\n`);
      expect((await entry.load()).name).toBe(name);
      const help = await cartera(name, '--help');
      expect({ name, code: help.code, summary: help.out.split('\n')[2] }).toEqual({ name, code: 0, summary: entry.summary });
    }
  });
});

describe('an error of cartera itself', () => {
  const boom: Command = {
    name: 'boom',
    options: {},
    run: async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    },
  };

  test('is its message and a hint, no stack trace; CARTERA_DEBUG=1 shows the stack', async () => {
    COMMANDS.boom = { summary: 'fails', load: async () => boom };
    try {
      const r = await cartera('boom');
      expect(r).toEqual({
        code: 1,
        out: '',
        err: "cartera: Cannot read properties of undefined (reading 'x')\n(an internal error: CARTERA_DEBUG=1 shows where it happened)\n",
      });
      process.env.CARTERA_DEBUG = '1';
      const debug = await cartera('boom');
      expect(debug.code).toBe(1);
      expect(debug.err).toMatch(NO_STACK);
    } finally {
      delete process.env.CARTERA_DEBUG;
      delete COMMANDS.boom;
    }
  });
});
