/**
 * The product app as built into this test build's root (dist/ or .build/<name>/): a temporary app
 * folder whose single entry requires every compiled file directly in functions/, as package.json
 * `main` (`dist/functions/*.js`) does for the real build, plus the product's host.json and its
 * sample local.settings.json (task hub name, local compute, Azurite).
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { productRoot } from '../../../devhost/product-root';

/** <build root>/functions, next to this compiled helper (test/_helpers/api). */
export const BUILT_FUNCTIONS = path.resolve(__dirname, '..', '..', '..', 'functions');

export function makeProductAppDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'amlsched-product-'));
  const entries = readdirSync(BUILT_FUNCTIONS).filter((f) => f.endsWith('.js')).sort();
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'amlsched-product-under-test', main: 'index.js' }));
  writeFileSync(path.join(dir, 'index.js'), entries.map((f) => `require(${JSON.stringify(path.join(BUILT_FUNCTIONS, f))});`).join('\n') + '\n');
  copyFileSync(path.join(productRoot(), 'host.json'), path.join(dir, 'host.json'));
  copyFileSync(path.join(productRoot(), 'local.settings.sample.json'), path.join(dir, 'local.settings.json'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
