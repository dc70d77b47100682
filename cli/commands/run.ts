/**
 * `amlsched run FILE.yml`: submit a pipeline (or a single command job) as `az ml job create`
 * does, with the files it names carried in a bundle; `--wait` follows it to the end.
 */
import type { Command } from 'commander';
import type { RunStarted } from '../../shared/api/contracts';
import { AmlSchedError } from '../../shared/errors';
import { buildBundleFromDisk } from '../../shared/spec/bundle';
import { apiClient } from './support/connection';
import { followRun } from './support/follow';
import { note, type OutputFormat, print, standard } from './support/output';
import { runSummary } from './support/run-format';
import { collectSet, parseSetValues } from './support/set-values';

interface RunOptions {
  set: string[];
  wait?: boolean;
  idempotencyKey?: string;
  output: OutputFormat;
}

export function register(program: Command): void {
  standard(program.command('run'))
    .description('submit a pipeline job or command job YAML and optionally wait for it')
    .argument('<file>', 'pipeline job YAML (type: pipeline) or command job YAML')
    .option('--set <name=value>', 'set a pipeline input (NAME=value or inputs.NAME=value) or a setting (settings.force_rerun=true); repeatable', collectSet, [])
    .option('--wait', 'follow the run to its end; exit 0 only when it Completed')
    .option('--idempotency-key <key>', 'retrying with the same key returns the same run instead of starting another')
    .addHelpText('after', [
      '',
      'Progress of --wait goes to stderr when --output json is given, so stdout holds only the run object.',
      '',
      'Examples:',
      '  amlsched run pipeline.yml',
      '  amlsched run pipeline.yml --set pipeline_job_training_input=azureml://datastores/workspaceblobstore/paths/iris/ --wait',
      '  amlsched run hello.yml --set inputs.greeting="hi there" --set settings.force_rerun=true --wait --output json',
      '',
    ].join('\n'))
    .action(async (file: string, opts: RunOptions) => {
      const { inputs, settings } = parseSetValues(opts.set);
      const { bundle } = await buildBundleFromDisk(file);
      const client = apiClient();
      const headers = opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : undefined;
      const started = await client.post<RunStarted>('api/runs', { bundle, inputs, ...(Object.keys(settings).length > 0 ? { settings } : {}) }, headers);
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
    });
}
