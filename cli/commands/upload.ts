/** `amlsched upload LOCAL azureml://datastores/D/paths/P`: put a file or folder into a datastore. */
import type { Command } from 'commander';
import { parseDatastoreUri } from '../../shared/datastore/types';
import { ValidationError } from '../../shared/errors';
import { apiClient } from './support/connection';
import { note, type OutputFormat, print, standard } from './support/output';
import { uploadLocal } from './support/upload';

export function register(program: Command): void {
  standard(program.command('upload'))
    .description('upload a local file or folder to a datastore path (blob triggers fire on it)')
    .argument('<local>', 'local file or folder')
    .argument('<target>', 'azureml://datastores/NAME/paths/PATH (a trailing / uploads into the folder)')
    .addHelpText('after', [
      '',
      'Examples:',
      '  amlsched upload data/iris.csv azureml://datastores/workspaceblobstore/paths/incoming/iris.csv',
      '  amlsched upload ./batch azureml://datastores/workspaceblobstore/paths/incoming/batch-01/',
      '',
    ].join('\n'))
    .action(async (local: string, target: string, opts: { output: OutputFormat }) => {
      const parsed = parseDatastoreUri(target);
      if (!parsed) throw new ValidationError('usage', `${target}: expected azureml://datastores/NAME/paths/PATH`);
      const result = await uploadLocal(apiClient(), local, parsed.datastore, parsed.path, (file) => {
        if (opts.output === 'text') note(`uploaded ${file.uri} (${file.size} bytes)`);
      });
      print(opts.output, result, () => `${result.files.length} file(s) uploaded to ${result.uri}`);
    });
}
