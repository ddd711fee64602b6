import { createRequire } from 'node:module';
import type * as DuckDB from '@duckdb/node-api';

/**
 * @duckdb/node-api, loaded with `require`. The package is CommonJS, and before running it Node's
 * ESM `import` scans each of its files for the names it exports (cjs-module-lexer): about half a
 * second on every CLI start. Modules that only start with the server may import it as usual.
 */
export const duckdb: typeof DuckDB = createRequire(import.meta.url)('@duckdb/node-api');
