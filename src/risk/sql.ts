import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The text of a file in sql/risk/ (read once; these are run by the risk code, not the build). */
export function riskSql(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../sql/risk/${name}`, import.meta.url)), 'utf8');
}
