/**
 * `amlsched run FILE.yml`: submit a pipeline (or a single command job) as `az ml job create`
 * does, with the files it names carried in a bundle; `--wait` follows it to the end.
 */
import type { Command } from 'commander';
import { buildBundleFromDisk } from '../../shared/spec/bundle';
import { apiClient } from './support/connection';
import { type OutputFormat, standard } from './support/output';
import { collectSet, parseSetValues } from './support/set-values';
import { startAndFollow } from './support/start-and-follow';

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
      await startAndFollow(apiClient(), 'api/runs', { bundle, inputs, ...(Object.keys(settings).length > 0 ? { settings } : {}) }, opts);
    });
}
