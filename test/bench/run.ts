/**
 * `npm run bench -- <ingest|xlsx|cfdi|build|risk|record|api|analyst|startup|all> [size]`: the speed targets of the issues, each
 * measured beside DuckDB's (or a bare server's, or a bare Node's) own speed on the same work, in the same run.
 */
const [which = 'all', size] = process.argv.slice(2);
const n = size ? Number(size.replace(/_/g, '')) : undefined;
const log = (l: string) => process.stdout.write(l + '\n');

const benches: Record<string, () => Promise<unknown>> = {
  ingest: async () => (await import('./ingest.ts')).benchIngest({ invoices: n ?? 10_000_000, log }),
  xlsx: async () => (await import('./xlsx.ts')).benchXlsx({ invoices: n ?? 1_000_000, log }),
  // The size is a count of CFDI files: npm run bench -- cfdi 100000.
  cfdi: async () => (await import('./cfdi.ts')).benchCfdi({ files: n ?? 100_000, log }),
  build: async () => {
    // Kept for the API benchmark, which serves the same warehouse.
    const db = (await import('./api-warehouse.ts')).benchWarehousePath(n ?? 10_000_000);
    const { rmSync, mkdirSync } = await import('node:fs');
    for (const f of [db, `${db}.wal`]) rmSync(f, { force: true });
    mkdirSync((await import('node:path')).dirname(db), { recursive: true });
    return (await import('./build.ts')).benchBuild({ invoices: n ?? 10_000_000, db, log });
  },
  risk: async () => {
    const mod = (await import('./risk.ts')) as { benchRisk: (o: object) => Promise<unknown> };
    // A size trains on that history alone: npm run bench -- risk 1000000.
    return mod.benchRisk({ log, ...(n ? { trainSizes: [n], steadySizes: n >= 1_000_000 ? [n] : [], demoSizes: [] } : {}) });
  },
  // A collector's write on a demo-shaped warehouse of that many invoices, beside a full refresh.
  record: async () => (await import('./record.ts')).benchRecord({ invoices: n ?? 1_000_000, log }),
  api: async () => {
    const mod = (await import('./api.ts')) as { benchApi: (o: object) => Promise<unknown> };
    const { db } = await import('./api-warehouse.ts').then((m) => m.apiWarehouse(n ?? 10_000_000, log));
    return mod.benchApi({ db, log });
  },
  startup: async () => (await import('./startup.ts')).benchStartup({ runs: n, log }),
  analyst: async () => {
    const { db } = await import('./api-warehouse.ts').then((m) => m.apiWarehouse(n ?? 10_000_000, log));
    return (await import('./analyst-copy.ts')).benchAnalystCopy({ db, log });
  },
};

const names = which === 'all' ? Object.keys(benches) : [which];
for (const name of names) {
  if (!benches[name]) {
    process.stderr.write(`bench: unknown benchmark '${name}' (ingest, xlsx, cfdi, build, risk, record, api, analyst, startup or all)\n`);
    process.exit(2);
  }
  log(`\n== bench ${name} ==`);
  await benches[name]();
}
