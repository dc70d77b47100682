/**
 * `npm run bench`: every benchmark, each in a fresh Node process (so peak RSS is its own), one
 * JSON line per case on stdout in the shape ../shared/bench-peers uses. Progress goes to stderr.
 *   npm run bench                  all suites
 *   npm run bench -- durable       suites whose name contains an argument
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Suites in run order: the Durable backend's shapes, pipeline runs, parallel steps. */
const SUITES = ['durable', 'pipeline', 'parallel'];

function runSuite(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(filters: string[]): Promise<number> {
  const chosen = SUITES.filter((s) => filters.length === 0 || filters.some((f) => s.includes(f)));
  if (chosen.length === 0) {
    process.stderr.write(`bench: no suite matches ${filters.join(', ')} (suites: ${SUITES.join(', ')})\n`);
    return 2;
  }
  let failures = 0;
  for (const suite of chosen) {
    const file = path.join(__dirname, `${suite}.js`);
    if (!existsSync(file)) {
      process.stderr.write(`bench: ${suite}: ${file} is missing (run npm run build)\n`);
      failures += 1;
      continue;
    }
    process.stderr.write(`bench: ${suite}\n`);
    if ((await runSuite(file)) !== 0) failures += 1;
  }
  return failures === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
