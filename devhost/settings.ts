import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from '../shared/errors';

/**
 * The app's configuration as the Functions host and Core Tools read it: `host.json`, and
 * `local.settings.json` (falling back to `local.settings.sample.json`) whose `Values` become
 * environment variables. As in Core Tools, a variable already in the environment wins.
 */
export interface HostJson {
  version?: string;
  extensions?: {
    http?: { routePrefix?: string };
    durableTask?: { hubName?: string; [option: string]: unknown };
    [extension: string]: unknown;
  };
  [section: string]: unknown;
}

export interface AppSettings {
  appDir: string;
  /** host.json, with `%SETTING%` references resolved where the host resolves them. */
  hostJson: HostJson;
  /** The settings file that was read, if any. */
  settingsFile: string | undefined;
  values: Record<string, string>;
  routePrefix: string;
  taskHub: string;
}

type Env = Record<string, string | undefined>;

const REFERENCE = /%([^%\s]+)%/g;

/**
 * Replaces `%NAME%` with the app setting NAME, as Functions does in binding options and in
 * extension settings such as `durableTask.hubName`. `where` names the field for the error.
 */
export function resolveSettingReferences(text: string, where: string, env: Env = process.env): string {
  return text.replace(REFERENCE, (_match, name: string) => {
    const value = env[name];
    if (value === undefined || value === '') {
      throw new ConfigurationError(name, `is not set but ${where} refers to it as %${name}%`);
    }
    return value;
  });
}

function readJsonFile(file: string): unknown {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigurationError(file, `is not valid JSON: ${(err as Error).message}`);
  }
}

function readValues(appDir: string): { file: string | undefined; values: Record<string, string> } {
  const file = ['local.settings.json', 'local.settings.sample.json'].map((f) => path.join(appDir, f)).find(existsSync);
  if (!file) return { file: undefined, values: {} };
  const doc = readJsonFile(file) as { IsEncrypted?: unknown; Values?: unknown };
  if (doc.IsEncrypted === true) throw new ConfigurationError(file, 'is encrypted (IsEncrypted: true); the local host reads only plain settings');
  const values: Record<string, string> = {};
  if (doc.Values === undefined) return { file, values };
  if (typeof doc.Values !== 'object' || doc.Values === null || Array.isArray(doc.Values)) {
    throw new ConfigurationError(file, 'Values must be an object of strings');
  }
  for (const [name, value] of Object.entries(doc.Values)) {
    if (typeof value === 'string') values[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') values[name] = String(value);
    else throw new ConfigurationError(name, `in ${path.basename(file)} Values must be a string`);
  }
  return { file, values };
}

/** Copies settings into the environment, keeping what the environment already has; returns the names skipped. */
export function applyValues(values: Record<string, string>, env: Env = process.env): string[] {
  const skipped: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (env[name] !== undefined) skipped.push(name);
    else env[name] = value;
  }
  return skipped;
}

const TASK_HUB = /^[A-Za-z][A-Za-z0-9]{2,44}$/;

/** Reads host.json and the local settings, applies Values to `env`, resolves references. */
export function loadAppSettings(appDir: string, env: Env = process.env): AppSettings {
  const hostFile = path.join(appDir, 'host.json');
  if (!existsSync(hostFile)) throw new ConfigurationError('host.json', `not found in ${appDir} (the app folder must contain one)`);
  const hostJson = readJsonFile(hostFile) as HostJson;
  if (typeof hostJson !== 'object' || hostJson === null || Array.isArray(hostJson)) throw new ConfigurationError(hostFile, 'must be a JSON object');
  if (hostJson.version !== '2.0') throw new ConfigurationError(`${hostFile} version`, `must be "2.0" (found ${JSON.stringify(hostJson.version)})`);

  const { file, values } = readValues(appDir);
  applyValues(values, env);

  const prefixRaw = hostJson.extensions?.http?.routePrefix;
  if (prefixRaw !== undefined && typeof prefixRaw !== 'string') throw new ConfigurationError('host.json extensions.http.routePrefix', 'must be a string');
  const routePrefix = (prefixRaw ?? 'api').replace(/^\/+|\/+$/g, '');

  const durable = hostJson.extensions?.durableTask;
  let taskHub = (env.WEBSITE_SITE_NAME ?? 'TestHubName').replace(/[^A-Za-z0-9]/g, '');
  if (durable?.hubName !== undefined) {
    taskHub = resolveSettingReferences(String(durable.hubName), 'host.json extensions.durableTask.hubName', env);
    durable.hubName = taskHub;
  }
  if (!TASK_HUB.test(taskHub)) {
    throw new ConfigurationError('host.json extensions.durableTask.hubName', `'${taskHub}' must be 3-45 letters or digits, starting with a letter`);
  }
  return { appDir, hostJson, settingsFile: file, values, routePrefix, taskHub };
}
