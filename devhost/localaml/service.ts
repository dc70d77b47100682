/**
 * The local Azure ML as a host service: started after Azurite and the Durable backend, it shares
 * the backend's SQLite handle, maps datastores to Azurite, delivers job events through the host's
 * Event Grid publisher, and publishes its services for the app's `local` drivers.
 */
import { createDatastoreRegistry } from '../../shared/datastore/settings';
import { publishLocalServices } from '../../shared/local-services';
import type { HostService, ServiceContext, StartedService } from '../host';
import { startLocalAzureMl } from './index';

export const LOCAL_AML_SERVICE = 'localaml';

export function localAzureMlService(): HostService {
  return {
    name: LOCAL_AML_SERVICE,
    async start(ctx: ServiceContext): Promise<StartedService> {
      const datastores = createDatastoreRegistry(azuriteSettings(ctx));
      const log = ctx.logger.child({ component: LOCAL_AML_SERVICE });
      const services = await startLocalAzureMl({
        db: ctx.durable.db,
        datastores,
        dataDir: ctx.dataDir,
        publish: async (events) => {
          const results = await ctx.eventGrid.publish(events);
          const failed = results.filter((result) => result.error !== undefined || result.status >= 300);
          if (failed.length > 0) {
            throw new Error(failed.map((f) => `${f.functionName}: ${f.status} ${f.error ?? ''}`.trim()).join('; '));
          }
        },
        log: { warn: (message) => log.warn(message) },
      });
      publishLocalServices(services);
      return {
        detail: { datastores: datastores.names() },
        async stop() {
          publishLocalServices(undefined);
          await services.close();
        },
      };
    },
  };
}

/** The settings with the emulator shorthand pointed at the host's Azurite (its ports are not the fixed ones). */
function azuriteSettings(ctx: ServiceContext): Record<string, string | undefined> {
  const settings: Record<string, string | undefined> = { ...ctx.settings.values, ...process.env };
  for (const [key, value] of Object.entries(settings)) {
    if (value !== undefined && /^UseDevelopmentStorage=true;?$/i.test(value.trim())) settings[key] = ctx.azurite.connectionString;
  }
  settings.AzureWebJobsStorage ??= ctx.azurite.connectionString;
  return settings;
}
