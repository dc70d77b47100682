/** `amlsched pipelines publish FILE.yml --name NAME`: store a pipeline version (named by its content hash). */
import type { Command } from 'commander';
import { buildBundleFromDisk } from '../../shared/spec/bundle';
import { apiClient } from './support/connection';
import { type OutputFormat, print, standard } from './support/output';

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
      'Runs start with POST /api/pipelines/NAME/runs (body: { "inputs": {...}, "version"?: "..." }) and pin the version they start with.',
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
}
