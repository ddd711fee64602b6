import { dbOption, type Command } from '../cli/command.ts';

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'Load ERP exports (CSV, TSV, XLSX, JSON, NDJSON, Parquet) into the warehouse.',
  args: 'PATH...',
  options: { ...dbOption },
  async run() {
    return 1;
  },
};
