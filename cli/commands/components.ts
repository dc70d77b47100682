/**
 * `amlsched components create --file component.yml`, as `az ml component create`: a local `code:`
 * folder is uploaded first and the registered component names it by its `azureml://` URI.
 */
import path from 'node:path';
import type { Command } from 'commander';
import type { RegisteredComponent } from '../../shared/registry/types';
import { ValidationError } from '../../shared/errors';
import { apiClient } from './support/connection';
import { isLocalPath, localUploadPath } from './support/local-upload-path';
import { note, type OutputFormat, print, standard } from './support/output';
import { uploadLocal } from './support/upload';
import { readYamlFile } from './support/yaml-file';

export function register(program: Command): void {
  const components = program.command('components').description('register components');

  standard(components.command('create'))
    .description('register a component YAML (name and version from the file unless given)')
    .requiredOption('-f, --file <component.yml>', 'component YAML')
    .option('--name <name>', 'component name (overrides the file)')
    .option('--version <version>', 'component version (overrides the file; default: next integer)')
    .option('--datastore <name>', 'datastore that receives a local code folder', 'workspaceblobstore')
    .addHelpText('after', '\nExamples:\n  amlsched components create --file train/component.yml\n  amlsched components create --file component.yml --version 2 --output json\n')
    .action(async (opts: { file: string; name?: string; version?: string; datastore: string; output: OutputFormat }) => {
      const { value: spec } = await readYamlFile(opts.file);
      if (opts.name) spec.name = opts.name;
      if (opts.version) spec.version = opts.version;
      if (typeof spec.name !== 'string' || spec.name === '') throw new ValidationError('usage', `${opts.file}: the component needs a name (name: or --name)`);
      const client = apiClient();
      if (typeof spec.code === 'string' && isLocalPath(spec.code)) {
        const local = path.resolve(path.dirname(opts.file), spec.code);
        const uploaded = await uploadLocal(client, local, opts.datastore, `${await localUploadPath(local)}/`);
        if (opts.output === 'text') note(`uploaded code ${spec.code} to ${uploaded.uri}`);
        spec.code = uploaded.uri;
      }
      const created = await client.post<RegisteredComponent>('api/components', { component: spec });
      print(opts.output, created, () => `component ${created.name}:${created.version} registered`);
    });
}
