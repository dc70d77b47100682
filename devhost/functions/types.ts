/**
 * The seam inside the local host between the app runtime (core shim, loader, invoker) and the
 * trigger sources (HTTP, timers, Event Grid, Durable). Shapes follow the worker's RPC contract
 * (`@azure/functions-core` types), see ../shared/reference/protocols.md §1.
 */

export interface RpcHttpData {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  body?: RpcTypedData;
  params?: Record<string, string>;
  query?: Record<string, string>;
  statusCode?: string;
  cookies?: unknown[];
  enableContentNegotiation?: boolean;
}

/** One of these fields is set. */
export interface RpcTypedData {
  string?: string;
  json?: string;
  bytes?: Uint8Array;
  stream?: Uint8Array;
  http?: RpcHttpData;
  int?: number;
  double?: number;
}

export interface FunctionBinding {
  type: string;
  direction: 'in' | 'out' | 'inout';
  [option: string]: unknown;
}

export interface FunctionRegistration {
  name: string;
  /** Keyed by binding name; the return binding is `$return`. */
  bindings: Record<string, FunctionBinding>;
  trigger: { bindingName: string; type: string; binding: FunctionBinding };
  retryOptions?: unknown;
}

export interface InvocationRequest {
  functionName: string;
  triggerData: RpcTypedData;
  triggerMetadata?: Record<string, RpcTypedData>;
  /** Values for non-trigger input bindings, by binding name (e.g. the durable client payload). */
  extraInputs?: Record<string, RpcTypedData>;
  invocationId?: string;
  retryContext?: { retryCount: number; maxRetryCount: number };
}

export interface InvocationResult {
  invocationId: string;
  returnValue?: RpcTypedData;
  outputData: { name: string; data: RpcTypedData }[];
}

/** Supplies the value of a non-trigger input binding of a given type (e.g. `durableClient`). */
export type InputBindingProvider = (fn: FunctionRegistration, bindingName: string, binding: FunctionBinding) => RpcTypedData;

export interface LoadedApp {
  readonly dir: string;
  readonly functions: ReadonlyMap<string, FunctionRegistration>;
  /** Registers the provider for every input binding of `type` (e.g. `durableClient`). */
  provideInput(type: string, provider: InputBindingProvider): void;
  /** Invokes through the library's ProgrammingModel/InvocationModel; rejects with the function's error. */
  invoke(request: InvocationRequest): Promise<InvocationResult>;
  /** Runs `appTerminate` hooks. */
  terminate(): Promise<void>;
}
