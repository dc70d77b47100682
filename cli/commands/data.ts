/** `amlsched data list [NAME]` and `amlsched data create`, as `az ml data list/create`. */
import path from 'node:path';
import { type Command, Option } from 'commander';
import type { ListPage } from '../../shared/api/contracts';
import type { DataVersion } from '../../shared/registry/types';
import { ValidationError } from '../../shared/errors';
import { apiClient } from './support/connection';
import { isLocalPath, localUploadPath } from './support/local-upload-path';
import { note, type OutputFormat, print, standard, table } from './support/output';
import { uploadLocal } from './support/upload';
import { readYamlFile } from './support/yaml-file';

const DATA_TYPES = ['uri_file', 'uri_folder', 'mltable'];

interface CreateOptions {
  file?: string;
  name?: string;
  version?: string;
  type?: string;
  path?: string;
  description?: string;
  datastore: string;
  output: OutputFormat;
}

function str(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

export function register(program: Command): void {
  const data = program.command('data').description('list and create data assets (data versions)');

  standard(data.command('list'))
    .description('list every version of NAME, or of all data assets')
    .argument('[name]', 'data asset name')
    .addHelpText('after', '\nExamples:\n  amlsched data list\n  amlsched data list scored --output json\n')
    .action(async (name: string | undefined, opts: { output: OutputFormat }) => {
      const page = await apiClient().get<ListPage<DataVersion>>('api/data', { name });
      print(opts.output, page.value, () => table(['NAME', 'VERSION', 'TYPE', 'URI', 'PRODUCED BY'],
        page.value.map((d) => [d.name, d.version, d.type, d.uri, d.producedBy ? `${d.producedBy.runId}/${d.producedBy.step}` : ''])));
    });

  standard(data.command('create'))
    .description('create a data version from a data YAML or from options; a local path is uploaded first')
    .option('-f, --file <data.yml>', 'data asset YAML (name, version, type, path, description)')
    .option('--name <name>', 'asset name (overrides the file)')
    .option('--version <version>', 'asset version (default: next integer)')
    .addOption(new Option('--type <type>', 'asset type').choices(DATA_TYPES))
    .option('--path <path>', 'azureml://datastores/D/paths/P, a URL, or a local file or folder to upload')
    .option('--description <text>', 'description')
    .option('--datastore <name>', 'datastore that receives local uploads', 'workspaceblobstore')
    .addHelpText('after', [
      '',
      'Examples:',
      '  amlsched data create --file data.yml',
      '  amlsched data create --name iris --version 1 --type uri_file --path ./data/iris.csv',
      '  amlsched data create --name raw --type uri_folder --path azureml://datastores/workspaceblobstore/paths/raw/',
      '',
    ].join('\n'))
    .action(async (opts: CreateOptions) => {
      const fromFile = opts.file ? (await readYamlFile(opts.file)).value : {};
      const baseDir = opts.file ? path.dirname(opts.file) : '.';
      const name = opts.name ?? str(fromFile.name);
      const type = opts.type ?? str(fromFile.type) ?? 'uri_folder';
      let dataPath = opts.path ?? str(fromFile.path);
      if (!name) throw new ValidationError('usage', 'data create: a name is required (--name or name: in --file)');
      if (!dataPath) throw new ValidationError('usage', 'data create: a path is required (--path or path: in --file)');
      const client = apiClient();
      if (isLocalPath(dataPath)) {
        const local = opts.path ? dataPath : path.resolve(baseDir, dataPath);
        const uploaded = await uploadLocal(client, local, opts.datastore, await localUploadPath(local));
        if (opts.output === 'text') note(`uploaded ${uploaded.files.length} file(s) to ${uploaded.uri}`);
        dataPath = uploaded.uri;
      }
      const body = {
        name,
        version: opts.version ?? str(fromFile.version),
        type,
        path: dataPath,
        description: opts.description ?? str(fromFile.description),
        tags: fromFile.tags,
      };
      const created = await client.post<DataVersion>('api/data', body);
      print(opts.output, created, () => `data ${created.name}:${created.version} (${created.type}) -> ${created.uri}`);
    });
}
