/**
 * Invokes a registered function the way the Node worker's InvocationHandler does (protocols §1.5):
 * RPC-shaped request → library InvocationModel → hooks around the call → RPC-shaped response, so
 * every conversion (HTTP, timer camel-casing, durable payloads, return values) is the library's own.
 */
import { randomUUID } from 'node:crypto';
import type { CoreFunctionCallback, CoreLogHandler, CoreShimState } from './core-shim';
import type {
  FunctionRegistration, InputBindingProvider, InvocationRequest, InvocationResult, RpcTypedData,
} from './types';

/** Invocation ids: unique per process run without a random UUID per call. */
const INVOCATION_PREFIX = randomUUID().slice(0, 24);
let invocationCounter = 0;
const nextInvocationId = (): string => `${INVOCATION_PREFIX}${(++invocationCounter).toString(16).padStart(12, '0')}`;

type CoreState = 'preInvocationHooks' | 'invocation' | 'postInvocationHooks' | undefined;

interface CoreInvocationContext {
  invocationId: string;
  request: {
    invocationId: string;
    functionId: string;
    inputData: { name: string; data: RpcTypedData }[];
    triggerMetadata?: Record<string, RpcTypedData>;
    retryContext?: { retryCount: number; maxRetryCount: number };
  };
  metadata: unknown;
  state: CoreState;
  log: CoreLogHandler;
}

export class Invoker {
  readonly #state: CoreShimState;
  readonly #functions: ReadonlyMap<string, FunctionRegistration>;
  readonly #providers = new Map<string, InputBindingProvider>();
  /** Shared by every hook of the app, as `appHookData` in the worker. */
  readonly #appHookData: Record<string, unknown>;

  constructor(state: CoreShimState, functions: ReadonlyMap<string, FunctionRegistration>, appHookData: Record<string, unknown>) {
    this.#state = state;
    this.#functions = functions;
    this.#appHookData = appHookData;
  }

  provideInput(type: string, provider: InputBindingProvider): void {
    this.#providers.set(type.toLowerCase(), provider);
  }

  #inputData(fn: FunctionRegistration, request: InvocationRequest): { name: string; data: RpcTypedData }[] {
    const inputs = [{ name: fn.trigger.bindingName, data: request.triggerData }];
    for (const [name, binding] of Object.entries(fn.bindings)) {
      if (name === fn.trigger.bindingName || binding.direction === 'out') continue;
      const given = request.extraInputs?.[name];
      const provider = this.#providers.get(binding.type.toLowerCase());
      const data = given ?? provider?.(fn, name, binding);
      if (data !== undefined) inputs.push({ name, data });
    }
    return inputs;
  }

  async invoke(request: InvocationRequest): Promise<InvocationResult> {
    const fn = this.#functions.get(request.functionName);
    const registered = this.#state.functions.get(request.functionName);
    const pm = this.#state.programmingModel;
    if (!fn || !registered || !pm) throw new Error(`No function named "${request.functionName}" is registered in this app.`);
    const invocationId = request.invocationId ?? nextInvocationId();
    const coreCtx: CoreInvocationContext = {
      invocationId,
      request: {
        invocationId,
        functionId: fn.name,
        inputData: this.#inputData(fn, request),
        ...(request.triggerMetadata ? { triggerMetadata: request.triggerMetadata } : {}),
        ...(request.retryContext ? { retryContext: request.retryContext } : {}),
      },
      metadata: registered.metadata,
      state: undefined,
      log: (level, category, message) => this.#state.logHandler(level, category, `${fn.name}: ${message}`),
    };
    const model = pm.getInvocationModel(coreCtx);
    const { context, inputs: initialInputs } = await model.getArguments();

    const hookData: Record<string, unknown> = {};
    const pre: Record<string, unknown> = {
      hookData, appHookData: this.#appHookData, invocationContext: context,
      functionCallback: registered.callback, inputs: initialInputs,
    };
    coreCtx.state = 'preInvocationHooks';
    for (const hook of this.#state.hooks.get('preInvocation') ?? []) await hook(pre);
    const inputs = pre.inputs as unknown[];
    const callback = pre.functionCallback as CoreFunctionCallback;

    coreCtx.state = 'invocation';
    let result: unknown;
    let error: unknown;
    try {
      result = await model.invokeFunction(context, inputs, callback);
    } catch (err) {
      error = err;
    }

    const post: Record<string, unknown> = {
      hookData, appHookData: this.#appHookData, invocationContext: context, inputs, result, error,
    };
    coreCtx.state = 'postInvocationHooks';
    for (const hook of this.#state.hooks.get('postInvocation') ?? []) await hook(post);
    coreCtx.state = undefined;
    if (post.error !== undefined && post.error !== null) throw post.error;

    const response = await model.getResponse(context, post.result);
    return {
      invocationId,
      ...(response.returnValue !== undefined && response.returnValue !== null ? { returnValue: response.returnValue as RpcTypedData } : {}),
      outputData: (response.outputData ?? []) as { name: string; data: RpcTypedData }[],
    };
  }
}
