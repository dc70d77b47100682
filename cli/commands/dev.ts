import path from 'node:path';
import type { Command } from 'commander';
import { ValidationError } from '../../shared/errors';
import { productRoot } from '../../devhost/product-root';

/**
 * `amlsched dev [--app DIR] [--port N] [--data DIR]`: runs the local host for a Functions app
 * folder (the product by default) until SIGINT/SIGTERM, then stops every part cleanly.
 */
function port(value: string, name: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new ValidationError('usage', `${name} must be a port number (0-65535), got '${value}'`);
  return Number(value);
}

export function register(program: Command): void {
  program
    .command('dev')
    .description('Run the local Functions host (HTTP, timers, Event Grid, Durable on SQLite, Azurite) for an app folder')
    .option('--app <dir>', 'Functions app folder (default: the product itself)')
    .option('--port <n>', 'HTTP port (default: PORT or 7071; 0 picks a free port)')
    .option('--data <dir>', 'data folder for keys, state and Azurite (default: AMLSCHED_DATA_DIR or .data/)')
    .option('--host <address>', 'address to bind (default 127.0.0.1; anything else exposes the host)', '127.0.0.1')
    .option('--azurite-port <n>', 'first of three Azurite ports (blob, queue, table; default 10000)')
    .option('--ephemeral', 'in-memory Azurite on free ports (tests)')
    .addHelpText('after', '\nExamples:\n  amlsched dev\n  amlsched dev --app ./my-functions-app --port 7072 --data /tmp/amlsched-data\n')
    .action(async (opts: { app?: string; port?: string; data?: string; host: string; azuritePort?: string; ephemeral?: boolean }) => {
      // The host (SQLite, Azurite, the app) loads only for this verb, so other verbs start fast.
      const [{ startHost }, { createLogger }] = await Promise.all([import('../../devhost/host.js'), import('../../devhost/logger.js')]);
      const logger = createLogger();
      const azuriteBase = opts.azuritePort !== undefined ? port(opts.azuritePort, '--azurite-port') : 10000;
      // Signals are handled from the start, so one that arrives during start-up still stops cleanly.
      let signalled: (() => void) | undefined;
      const stopRequested = new Promise<void>((resolve) => {
        signalled = resolve;
      });
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals) => {
        if (++signals > 1) process.exit(130); // a second Ctrl-C does not wait
        logger.info({ signal }, 'stopping');
        signalled?.();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const host = await startHost({
          appDir: path.resolve(opts.app ?? productRoot()),
          dataDir: path.resolve(opts.data ?? process.env.AMLSCHED_DATA_DIR ?? '.data'),
          port: port(opts.port ?? process.env.PORT ?? '7071', '--port'),
          bindHost: opts.host,
          azurite: opts.ephemeral ? { inMemory: true } : { inMemory: false, ports: { blob: azuriteBase, queue: azuriteBase + 1, table: azuriteBase + 2 } },
          logger,
        });
        process.stderr.write(`amlsched dev: listening on ${host.url} (data ${host.dataDir})\n`);
        await stopRequested;
        await host.stop();
      } finally {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
      }
    });
}
