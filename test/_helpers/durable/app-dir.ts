/**
 * Temporary Functions app folders for tests: a package.json whose `main` is an index.js that
 * requires a compiled fixture app (test/fixtures/apps/NAME/index.ts compiled by the project build).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Absolute path of the compiled fixture app NAME (next to this compiled helper). */
export function fixtureAppModule(name: string): string {
  return path.resolve(__dirname, '..', '..', 'fixtures', 'apps', name, 'index.js');
}

export interface TempAppDir {
  dir: string;
  cleanup(): void;
}

export function makeAppDir(name: string, hostJson: Record<string, unknown> = { version: '2.0' }): TempAppDir {
  const dir = mkdtempSync(path.join(tmpdir(), `amlsched-app-${name}-`));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `fixture-${name}`, main: 'index.js' }));
  writeFileSync(path.join(dir, 'index.js'), `module.exports = require(${JSON.stringify(fixtureAppModule(name))});\n`);
  writeFileSync(path.join(dir, 'host.json'), JSON.stringify(hostJson));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The exports of a compiled fixture app; only after loadApp (loading it earlier would skip the core shim). */
export function fixtureExports<T>(name: string): T {
  return createRequire(__filename)(fixtureAppModule(name)) as T;
}
