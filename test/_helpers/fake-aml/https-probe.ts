/**
 * Run as a child process with AML_* settings and NODE_EXTRA_CA_CERTS (read only at start-up):
 * registers one data version through the `azureml` drivers, unchanged, over HTTPS, and prints it.
 */
import { createAzureMlServices } from '../../../shared/azure/services';

async function main(): Promise<void> {
  const { data } = createAzureMlServices();
  const result = await data.createOrGet({ name: 'probe', version: '1', type: 'uri_file', uri: 'azureml://datastores/workspaceblobstore/paths/p.csv', tags: {} });
  process.stdout.write(JSON.stringify(result));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
