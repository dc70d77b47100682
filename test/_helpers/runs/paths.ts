/** The repository root from compiled tests (dist/ or .build/<name>/ alike): the nearest folder above with test/fixtures/runs. */
import { existsSync } from 'node:fs';
import path from 'node:path';

export function runsFixture(name: string): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'test', 'fixtures', 'runs', name);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`test fixture runs/${name} not found above ${__dirname}`);
}
