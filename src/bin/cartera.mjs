#!/usr/bin/env node
// The package bin, `npm run cartera` and `npm start`: runs the compiled CLI (dist/, which `npm install`
// builds through the `prepare` script). When dist/ is missing or older than a file in src/ (sources
// changed since the last `npm run build`), it runs the sources through tsx instead, slower but never
// stale, and says so on stderr.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const stamp = `${root}dist/.built`;

/** The newest modification time of a file under `dir`. */
function newest(dir) {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) max = Math.max(max, statSync(`${e.parentPath ?? e.path}/${e.name}`).mtimeMs);
  }
  return max;
}

const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (built && built >= newest(`${root}src`)) {
  await import(new URL('../../dist/cli.js', import.meta.url).href);
} else {
  const why = built ? 'src/ changed since the last build' : 'dist/ is not built';
  process.stderr.write(`cartera: ${why}; running the sources (slower to start). \`npm run build\` makes it fast.\n`);
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../cli.ts', import.meta.url).href);
}
