/**
 * Loads a Functions app folder into this process the way the Node worker does (protocols §1.4):
 * core shim first, then every entry point of `package.json#main`, then `appStart` hooks.
 *
 * One app per process: `@azure/functions` caches its core module and programming model per process,
 * so a second `loadApp` (even of another folder) is refused. Run each app in its own process.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigurationError } from '../../shared/errors';
import { type CoreFunctionMetadata, type CoreLogHandler, installCoreShim } from './core-shim';
import { resolveEntryPoints } from './entry-points';
import { Invoker } from './invoker';
import type { FunctionBinding, FunctionRegistration, LoadedApp } from './types';

export interface LoadAppOptions {
  /** Receives the app's logs (`context.log`, library system logs). Default: warnings and errors to stderr. */
  log?: CoreLogHandler;
}

let loadedDir: string | undefined;

function toRegistration(metadata: CoreFunctionMetadata): FunctionRegistration {
  const bindings = metadata.bindings as Record<string, FunctionBinding>;
  const trigger = Object.entries(bindings).find(([, b]) => b.direction === 'in' && /trigger$/i.test(b.type));
  if (!trigger) throw new ConfigurationError(`function ${metadata.name}`, 'has no trigger binding');
  const [bindingName, binding] = trigger;
  return {
    name: metadata.name,
    bindings,
    trigger: { bindingName, type: binding.type, binding },
    ...(metadata.retryOptions !== undefined ? { retryOptions: metadata.retryOptions } : {}),
  };
}

async function loadEntryPoint(file: string, isModule: boolean): Promise<void> {
  if (isModule || file.endsWith('.mjs')) {
    await import(pathToFileURL(file).href);
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS entry points load with require, as in the worker
    require(file);
  }
}

export async function loadApp(dir: string, options: LoadAppOptions = {}): Promise<LoadedApp> {
  const appDir = path.resolve(dir);
  if (loadedDir !== undefined) {
    throw new ConfigurationError('app', `this process already loaded ${loadedDir}; @azure/functions supports one app per process`);
  }
  const state = installCoreShim();
  if (options.log) state.logHandler = options.log;
  const { files, isModule } = resolveEntryPoints(appDir);
  loadedDir = appDir;
  for (const file of files) {
    try {
      await loadEntryPoint(file, isModule);
    } catch (err) {
      throw new ConfigurationError(`entry point ${file}`, `failed to load: ${(err as Error).stack ?? String(err)}`);
    }
  }

  if (state.functions.size === 0 || !state.programmingModel) {
    throw new ConfigurationError(`${path.join(appDir, 'package.json')}#main`,
      `loading ${files.length} entry point(s) registered no functions (the app must register with @azure/functions v4 `
      + 'and must not be loaded before the local host installed @azure/functions-core)');
  }
  const capabilities = await state.programmingModel.getCapabilities({});
  if (capabilities.HttpUri) {
    throw new ConfigurationError('app.setup({ enableHttpStream })', 'HTTP streaming is not supported by the local host; remove enableHttpStream');
  }
  state.started = true;

  const functions = new Map<string, FunctionRegistration>();
  for (const [id, { metadata }] of state.functions) functions.set(id, toRegistration(metadata));

  const appHookData: Record<string, unknown> = {};
  for (const hook of state.hooks.get('appStart') ?? []) {
    await hook({ hookData: {}, appHookData, functionAppDirectory: appDir });
  }
  const invoker = new Invoker(state, functions, appHookData);
  return {
    dir: appDir,
    functions,
    provideInput: (type, provider) => invoker.provideInput(type, provider),
    invoke: (request) => invoker.invoke(request),
    async terminate() {
      for (const hook of state.hooks.get('appTerminate') ?? []) await hook({ hookData: {}, appHookData });
    },
  };
}
