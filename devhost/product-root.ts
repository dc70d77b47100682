import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const PRODUCT_NAME = 'aml-pipeline-scheduler';

/**
 * The product's own folder (where its package.json and node_modules are), found by walking up
 * from this file so it works from `dist/` and from an engineer's `.build/<name>/` alike.
 */
export function productRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === PRODUCT_NAME) return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`cannot find the ${PRODUCT_NAME} package above ${from}`);
  }
}
