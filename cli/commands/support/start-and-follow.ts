/**
 * What `run` and `pipelines run` share: post the start request, then either print the started
 * run or follow it (`--wait`), failing with one line unless it Completed.
 */
import type { ApiClient } from '../../../shared/api/client';
import type { RunStarted } from '../../../shared/api/contracts';
import { AmlSchedError } from '../../../shared/errors';
import { followRun } from './follow';
import { note, type OutputFormat, print } from './output';
import { runSummary } from './run-format';

export interface StartOptions {
  wait?: boolean;
  idempotencyKey?: string;
  output: OutputFormat;
}

export async function startAndFollow(client: ApiClient, route: string, body: unknown, opts: StartOptions): Promise<void> {
  const headers = opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : undefined;
  const started = await client.post<RunStarted>(route, body, headers);
  if (!opts.wait) {
    print(opts.output, started.run, () => `started run ${started.runId}\n  status: ${started.links.status}`);
    return;
  }
  const progress = opts.output === 'json' ? note : (line: string) => process.stdout.write(`${line}\n`);
  const run = await followRun(client, started.run, progress);
  print(opts.output, run, () => `\n${runSummary(run)}`);
  if (run.status !== 'Completed') {
    throw new AmlSchedError('run_not_completed', `run ${run.runId} ended ${run.status}${run.error ? `: ${run.error.message}` : ''}`, { kind: 'user' });
  }
}
