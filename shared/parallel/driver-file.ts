/**
 * The mini-batch driver (driver.py) shipped with the product. It is found relative to the
 * package root (the folder whose package.json names the product), so the compiled app in
 * dist/ or in an engineer's build folder reads the same source file.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from '../errors';

/** The driver's file name inside a job's code snapshot. */
export const DRIVER_FILE = 'amlsched_parallel_driver.py';
const PRODUCT_NAME = 'aml-pipeline-scheduler';

let cached: { text: string; sha256: string } | undefined;

export function driverSource(): { text: string; sha256: string } {
  if (cached) return cached;
  const file = path.join(packageRoot(), 'shared', 'parallel', 'driver.py');
  if (!existsSync(file)) throw new ConfigurationError('parallel driver', `${file} is missing from the deployed package; parallel steps need it`);
  const text = readFileSync(file, 'utf8');
  cached = { text, sha256: createHash('sha256').update(text).digest('hex') };
  return cached;
}

function packageRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PRODUCT_NAME) return dir;
    if (path.dirname(dir) === dir) throw new ConfigurationError('parallel driver', `cannot find the ${PRODUCT_NAME} package above ${__dirname}`);
  }
}
