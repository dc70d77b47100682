/** `amlsched pipelines publish FILE.yml --name NAME`: store a pipeline version (named by its content hash). */
import type { Command } from 'commander';
import { buildBundleFromDisk } from '../../shared/spec/bundle';
import { apiClient } from './support/connection';
import { type OutputFormat, print, standard } from './support/output';
import { collectSet, parseSetValues } from './support/set-values';
import { startAndFollow } from './support/start-and-follow';

interface Published {
  name: string;
  version: string;
  createdTime: string;
  links: { runs: string };
}

export function register(program: Command): void {
  const pipelines = program.command('pipelines').description('publish pipelines to run them by name');

  standard(pipelines.command('publish'))
    .description('publish a pipeline YAML and the files it names; the same content gives the same version')
    .argument('<file>', 'pipeline job YAML')
    .requiredOption('--name <name>', 'published pipeline name')
    .addHelpText('after', [
      '',
      'Start runs with amlsched pipelines run NAME (or POST /api/pipelines/NAME/runs); a run pins the version it starts with.',
      '',
      'Example:',
      '  amlsched pipelines publish pipeline.yml --name nightly-train',
      '',
    ].join('\n'))
    .action(async (file: string, opts: { name: string; output: OutputFormat }) => {
      const { bundle } = await buildBundleFromDisk(file);
      const published = await apiClient().put<Published>(`api/pipelines/${encodeURIComponent(opts.name)}`, { bundle });
      print(opts.output, published, () => `published ${published.name} version ${published.version}\n  runs: ${published.links.runs}`);
    });

  standard(pipelines.command('run'))
    .description('run a published pipeline (the latest version unless --version); the run pins the version')
    .argument('<name>', 'published pipeline name')
    .option('--version <version>', 'published version (content hash)')
    .option('--set <name=value>', 'set a pipeline input or a setting, as for amlsched run; repeatable', collectSet, [])
    .option('--wait', 'follow the run to its end; exit 0 only when it Completed')
    .option('--idempotency-key <key>', 'retrying with the same key returns the same run')
    .addHelpText('after', '\nExamples:\n  amlsched pipelines run nightly-train --set learning_rate=0.01\n  amlsched pipelines run nightly-train --version 3f2a9c0d1e2b4a5f --wait --output json\n')
    .action(async (name: string, opts: { version?: string; set: string[]; wait?: boolean; idempotencyKey?: string; output: OutputFormat }) => {
      const { inputs, settings } = parseSetValues(opts.set);
      const body = { inputs, ...(opts.version ? { version: opts.version } : {}), ...(Object.keys(settings).length > 0 ? { settings } : {}) };
      await startAndFollow(apiClient(), `api/pipelines/${encodeURIComponent(name)}/runs`, body, opts);
    });
}
