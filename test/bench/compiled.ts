/**
 * The compiled CLI the benchmarks time, as users run it (`npm install` builds dist/; the package bin
 * runs it). Built first when any file in src/ is newer than the last build, so a bench never times
 * stale code, nor tsx compiling the sources at every start.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');

/** Whether dist/ was built after the newest file in src/. */
export function distIsFresh(): boolean {
  const stamp = join(ROOT, 'dist/.built');
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  return readdirSync(join(ROOT, 'src'), { withFileTypes: true, recursive: true }).every((e) => !e.isFile() || statSync(join(e.parentPath, e.name)).mtimeMs <= built);
}

/** The compiled CLI's script (relative to the project root), built first if src/ changed since. */
export function compiledCli(log: (line: string) => void): string {
  if (!distIsFresh()) {
    log('dist/ is older than src/: building it first (npm run build)');
    execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
  return 'dist/cli.js';
}
