/**
 * `amlsched runs list|show|cancel|rerun|logs|purge`: the `az ml job list/show/cancel/stream` of
 * this product.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { parseAge } from '../../shared/api/age';
import type { ListPage, RunStarted } from '../../shared/api/contracts';
import type { RunObject } from '../../shared/run/types';
import { apiClient } from './support/connection';
import { type OutputFormat, positiveInt, print, standard } from './support/output';
import { runSummary, runsTable } from './support/run-format';

const STATUSES = ['NotStarted', 'Running', 'Completed', 'Failed', 'Canceled'];

function status(value: string): string {
  const match = STATUSES.find((s) => s.toLowerCase() === value.toLowerCase());
  if (!match) throw new InvalidArgumentError(`expected one of ${STATUSES.join(', ')}`);
  return match;
}

function age(value: string): string {
  if (parseAge(value) === undefined) throw new InvalidArgumentError('expected an age like 30d, 12h, 90m or an ISO-8601 duration (P30D)');
  return value;
}

export function register(program: Command): void {
  const runs = program.command('runs').description('list, show, cancel, rerun runs and read step logs');

  standard(runs.command('list'))
    .description('list runs, newest first')
    .option('--status <status>', 'only runs with this status', status)
    .option('--pipeline <name>', 'only runs of this pipeline')
    .option('--top <n>', 'at most this many runs', positiveInt('--top'))
    .option('--continuation <token>', 'the next page, from a previous list')
    .addHelpText('after', '\nExamples:\n  amlsched runs list\n  amlsched runs list --status Failed --top 10 --output json\n')
    .action(async (opts: { status?: string; pipeline?: string; top?: number; continuation?: string; output: OutputFormat }) => {
      const page = await apiClient().get<ListPage<RunObject>>('api/runs', { status: opts.status, pipeline: opts.pipeline, top: opts.top, continuation: opts.continuation });
      print(opts.output, page.value, () => runsTable(page.value) + (page.continuationToken ? `\n(more: --continuation ${page.continuationToken})` : ''));
    });

  standard(runs.command('show'))
    .description('show a run with the status of every step')
    .argument('<id>', 'run id')
    .addHelpText('after', '\nExamples:\n  amlsched runs show run-1a2b3c\n  amlsched runs show run-1a2b3c --output json\n')
    .action(async (id: string, opts: { output: OutputFormat }) => {
      const run = await apiClient().get<RunObject>(`api/runs/${encodeURIComponent(id)}`);
      print(opts.output, run, () => runSummary(run));
    });

  standard(runs.command('cancel'))
    .description('cancel a run: every running job is canceled and the run ends Canceled')
    .argument('<id>', 'run id')
    .addHelpText('after', '\nExample:\n  amlsched runs cancel run-1a2b3c\n')
    .action(async (id: string, opts: { output: OutputFormat }) => {
      const run = await apiClient().post<RunObject>(`api/runs/${encodeURIComponent(id)}/cancel`);
      print(opts.output, run, () => `cancel requested for run ${run.runId} (now ${run.status})`);
    });

  standard(runs.command('rerun'))
    .description('start a new run that reuses the completed steps of a finished run')
    .argument('<id>', 'run id')
    .addHelpText('after', '\nExample:\n  amlsched runs rerun run-1a2b3c --output json\n')
    .action(async (id: string, opts: { output: OutputFormat }) => {
      const started = await apiClient().post<RunStarted>(`api/runs/${encodeURIComponent(id)}/rerun`);
      print(opts.output, started.run, () => `started run ${started.runId} (rerun of ${id})`);
    });

  standard(runs.command('logs'))
    .description("print a step's log")
    .argument('<id>', 'run id')
    .argument('<step>', 'step name (nested steps as outer/inner)')
    .addHelpText('after', '\nExample:\n  amlsched runs logs run-1a2b3c train\n')
    .action(async (id: string, step: string, opts: { output: OutputFormat }) => {
      const logs = await apiClient().get<string>(`api/runs/${encodeURIComponent(id)}/steps/${encodeURIComponent(step)}/logs`);
      const text = typeof logs === 'string' ? logs : JSON.stringify(logs);
      if (opts.output === 'json') print('json', { runId: id, step, logs: text }, () => '');
      else process.stdout.write(text);
    });

  standard(runs.command('purge'))
    .description('delete finished runs older than a duration (history and catalogue entries)')
    .requiredOption('--older-than <duration>', 'age, e.g. 30d, 12h or P30D', age)
    .addHelpText('after', '\nExample:\n  amlsched runs purge --older-than 30d\n')
    .action(async (opts: { olderThan: string; output: OutputFormat }) => {
      const result = await apiClient().post<{ purged: number; runIds?: string[] }>('api/runs/purge', { olderThan: opts.olderThan });
      print(opts.output, result, () => `purged ${result.purged} run(s)`);
    });
}
