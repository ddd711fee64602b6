import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoWarehouse } from './demo-warehouse.ts';

/**
 * Builds the demo warehouse once for the whole run; test files copy it (see demo-warehouse.ts).
 * If the pipeline fails here, only the tests that need the warehouse fail (they retry the build
 * and report the error themselves): the rest of the suite still runs.
 */
export default async function setup(): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'cartera-demo-'));
  try {
    process.env.CARTERA_TEST_DEMO_DB = await buildDemoWarehouse(dir);
  } catch (err) {
    process.stderr.write(`global setup: the demo warehouse did not build: ${(err as Error).message}\n`);
  }
  return () => rmSync(dir, { recursive: true, force: true });
}
