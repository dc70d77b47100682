/** Runs the compiled `amlsched` as a subprocess (real argv, exit code, stdout and stderr). */
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The compiled CLI entry next to the compiled tests (test/_helpers/api → cli/main.js). */
export const CLI_MAIN = path.resolve(__dirname, '..', '..', '..', 'cli', 'main.js');

export function runCli(args: string[], env: Record<string, string | undefined> = {}, cwd?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const merged: NodeJS.ProcessEnv = { ...process.env };
    for (const name of ['AMLSCHED_URL', 'AMLSCHED_KEY', 'AMLSCHED_DATA_DIR']) delete merged[name];
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) delete merged[name];
      else merged[name] = value;
    }
    const child = spawn(process.execPath, [CLI_MAIN, ...args], {
      cwd: cwd ?? process.cwd(),
      env: merged,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
