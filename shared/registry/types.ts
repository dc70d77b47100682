/**
 * Registry ports: data assets (data versions) and components/environments.
 * Drivers: `azureml` (workspace REST API) and `local` (the local host's SQLite registries).
 */
import type { ComponentDef, DataType } from '../spec/plan';

export interface Lineage {
  runId: string;
  step: string;
  jobName: string;
  /** Identities of the step's input data (asset versions or datastore URIs with eTags). */
  inputs?: Record<string, string>;
}

export interface DataVersion {
  name: string;
  version: string;
  type: DataType;
  /** `azureml://datastores/D/paths/P`. */
  uri: string;
  description?: string;
  tags: Record<string, string>;
  producedBy?: Lineage;
  createdTime: string;
}

export type DataVersionInput = Omit<DataVersion, 'createdTime'>;

export interface DataRegistry {
  /** Create-or-get: registering the same name+version twice yields the first version unchanged. */
  createOrGet(input: DataVersionInput): Promise<{ version: DataVersion; created: boolean }>;
  /** `version` may be `latest`. Undefined when absent. */
  get(name: string, version: string): Promise<DataVersion | undefined>;
  /** Every version of `name`, or of every asset, newest first within a name. */
  list(name?: string): Promise<DataVersion[]>;
}

export interface RegisteredComponent {
  name: string;
  version: string;
  /** The component YAML as a plain object, as `az ml component create` takes it. */
  spec: Record<string, unknown>;
  createdTime: string;
}

export interface ComponentRegistry {
  createOrGet(name: string, version: string, spec: Record<string, unknown>): Promise<{ component: RegisteredComponent; created: boolean }>;
  /** `version` may be `latest`. Undefined when absent. */
  get(name: string, version: string): Promise<RegisteredComponent | undefined>;
  list(name?: string): Promise<RegisteredComponent[]>;
  /** Registered environment `azureml:NAME:VERSION` / `@latest`: its resolved version, or undefined. */
  getEnvironment(name: string, version: string): Promise<{ name: string; version: string; image?: string } | undefined>;
}

/** What the spec layer needs to resolve `azureml:` components while loading a pipeline. */
export interface ComponentResolver {
  /** Undefined when not found; throws a ServiceError when the registry cannot be reached (offline). */
  resolve(name: string, version: string): Promise<Record<string, unknown> | undefined>;
}

export type { ComponentDef };
