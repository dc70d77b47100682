/**
 * The blob watcher as a host service: watches the container of every datastore the app's
 * settings define (shared/datastore/settings.ts), on the host's Azurite, and remembers what it
 * announced in the host database.
 */
import { createServiceClient } from '../../shared/datastore/blob';
import { connectionFromSetting, datastoreDefinitions } from '../../shared/datastore/settings';
import type { HostService, ServiceContext, StartedService } from '../host';
import { SeenStore } from './seen-store';
import { BlobWatcher, type WatchedContainer } from './watcher';

export const BLOB_WATCHER_SERVICE = 'blobwatcher';

export function blobWatcherService(options: { pollMs?: number } = {}): HostService {
  return {
    name: BLOB_WATCHER_SERVICE,
    async start(ctx: ServiceContext): Promise<StartedService> {
      const settings = azuriteSettings(ctx);
      const containers: WatchedContainer[] = datastoreDefinitions(settings).map((d) => ({
        datastore: d.name,
        client: createServiceClient(connectionFromSetting(settings, d.connection)).getContainerClient(d.container),
      }));
      const watcher = new BlobWatcher({
        containers,
        seen: new SeenStore(ctx.durable.db),
        eventGrid: ctx.eventGrid,
        logger: ctx.logger.child({ component: BLOB_WATCHER_SERVICE }),
        ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
      });
      watcher.start();
      return {
        detail: { datastores: containers.map((c) => c.datastore) },
        stop: () => watcher.stop(),
      };
    },
  };
}

/** The app settings with the emulator shorthand pointed at this host's Azurite. */
function azuriteSettings(ctx: ServiceContext): Record<string, string | undefined> {
  const settings: Record<string, string | undefined> = { ...ctx.settings.values, ...process.env };
  for (const [key, value] of Object.entries(settings)) {
    if (value !== undefined && /^UseDevelopmentStorage=true;?$/i.test(value.trim())) settings[key] = ctx.azurite.connectionString;
  }
  settings.AzureWebJobsStorage ??= ctx.azurite.connectionString;
  return settings;
}
