/**
 * The `@azure/functions-core` module that `@azure/functions` looks for at run time (protocols §1.1–1.4).
 * Like the Node worker, it is served by wrapping `Module.prototype.require`, so the app and the
 * library stay unchanged. The library caches the module (and a miss, which silently drops every
 * registration: "test mode") on first use, so there is one shim per process and it must be installed
 * before the app's first `require('@azure/functions')`.
 */
import Module from 'node:module';

export const CORE_MODULE_NAME = '@azure/functions-core';
const HOOK_NAMES = ['preInvocation', 'postInvocation', 'appStart', 'appTerminate', 'log'] as const;
export type HookName = (typeof HOOK_NAMES)[number];

export type CoreLogLevel = 'trace' | 'debug' | 'information' | 'warning' | 'error' | 'critical' | 'none';
export type CoreLogHandler = (level: CoreLogLevel, category: string, message: string) => void;

/** Metadata exactly as `registerFunction` receives it (protocols §1.3). */
export interface CoreFunctionMetadata {
  name: string;
  functionId?: string;
  bindings: Record<string, { type: string; direction: 'in' | 'out' | 'inout'; [option: string]: unknown }>;
  retryOptions?: unknown;
}

export type CoreFunctionCallback = (...args: unknown[]) => unknown;
export type CoreHookCallback = (context: Record<string, unknown>) => unknown;

/** The subset of the library's `ProgrammingModel`/`InvocationModel` the host drives (types-core). */
export interface CoreInvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], callback: CoreFunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<{ invocationId: string; outputData?: unknown[]; returnValue?: unknown }>;
}
export interface CoreProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreCtx: unknown): CoreInvocationModel;
  getCapabilities(capabilities: Record<string, string>): Promise<Record<string, string>>;
}

class Disposable {
  readonly #onDispose: (() => void) | undefined;
  constructor(onDispose?: () => void) {
    this.#onDispose = onDispose;
  }
  dispose(): void {
    this.#onDispose?.();
  }
}

/** What the app registered while it loaded. */
export class CoreShimState {
  readonly functions = new Map<string, { metadata: CoreFunctionMetadata; callback: CoreFunctionCallback }>();
  readonly hooks = new Map<HookName, CoreHookCallback[]>(HOOK_NAMES.map((n) => [n, []]));
  programmingModel: CoreProgrammingModel | undefined;
  /** Set once the app has started: registering a function afterwards throws, as in the worker. */
  started = false;
  logHandler: CoreLogHandler = (level, category, message) => {
    if (level === 'error' || level === 'critical' || level === 'warning') process.stderr.write(`[${level}/${category}] ${message}\n`);
  };
}

function createCoreApi(state: CoreShimState): Record<string, unknown> {
  return {
    version: '3.10.1-amlsched-local',
    hostVersion: '4.1040.0',
    Disposable,
    registerFunction(metadata: CoreFunctionMetadata, callback: CoreFunctionCallback) {
      if (state.started) throw new Error('A function can only be registered during app startup.');
      const id = metadata.functionId ?? metadata.name;
      if (state.functions.has(id)) throw new Error(`A function with id "${id}" has already been registered.`);
      state.functions.set(id, { metadata, callback });
      return new Disposable(() => state.functions.delete(id));
    },
    registerHook(name: string, callback: CoreHookCallback) {
      const list = state.hooks.get(name as HookName);
      if (!list) {
        const err = new RangeError(`Unrecognized hook "${name}"`) as RangeError & { isAzureFunctionsSystemError: boolean };
        err.isAzureFunctionsSystemError = true;
        throw err;
      }
      list.push(callback);
      return new Disposable(() => list.splice(list.indexOf(callback), 1));
    },
    setProgrammingModel(pm: CoreProgrammingModel) {
      state.programmingModel = pm;
    },
    getProgrammingModel() {
      return state.programmingModel;
    },
    log(level: CoreLogLevel, category: string, message: string) {
      state.logHandler(level, category, message);
    },
  };
}

let installed: CoreShimState | undefined;

/**
 * Installs the shim for this process (idempotent) and returns its state. The library resolves the
 * core module lazily (first `app.*` call), so loading `@azure/functions` earlier is harmless as long
 * as nothing registered before this call; the loader checks afterwards that registrations arrived.
 */
export function installCoreShim(): CoreShimState {
  if (installed) return installed;
  const state = new CoreShimState();
  const api = createCoreApi(state);
  const original = Module.prototype.require;
  Module.prototype.require = new Proxy(original, {
    apply(target, self, args: unknown[]) {
      return args[0] === CORE_MODULE_NAME ? api : Reflect.apply(target, self, args);
    },
  });
  installed = state;
  return state;
}
