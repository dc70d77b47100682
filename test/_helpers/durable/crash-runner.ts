/**
 * A minimal host process for crash tests: loads an app folder, runs the Durable backend on a
 * database file, optionally starts instances, prints "ready", and runs until killed.
 * Usage: node crash-runner.js APP_DIR DB_FILE [START_JSON]
 *   START_JSON: [{ "name": "...", "instanceId": "...", "input": ... }, ...]
 */
import { loadApp } from '../../../devhost/functions/app-loader';
import { createDurableBackend } from '../../../devhost/durable/index';

async function main(): Promise<void> {
  const [appDir, dbFile, startJson] = process.argv.slice(2);
  if (!appDir || !dbFile) throw new Error('usage: crash-runner APP_DIR DB_FILE [START_JSON]');
  const app = await loadApp(appDir);
  const durable = createDurableBackend({
    app, dbPath: dbFile, hostJson: { extensions: { durableTask: { maxConcurrentActivityFunctions: 4 } } },
  });
  const starts = startJson ? JSON.parse(startJson) as { name: string; instanceId: string; input?: unknown }[] : [];
  for (const s of starts) await durable.startNew(s.name, { instanceId: s.instanceId, input: s.input });
  process.stdout.write('ready\n');
  const keepAlive = setInterval(() => undefined, 60_000);
  process.once('SIGTERM', () => {
    clearInterval(keepAlive);
    void durable.stop().then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
