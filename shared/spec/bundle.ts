/**
 * Pipeline bundles: how a pipeline travels to the server (`POST /api/runs`, `PUT /api/pipelines/{name}`).
 *
 * Format (JSON):
 * ```json
 * {
 *   "entry": "pipeline.yml",
 *   "files": { "pipeline.yml": { "base64": "..." }, "src/hello.py": { "base64": "..." } },
 *   "directories": ["data/empty-folder"]
 * }
 * ```
 * - `entry`: the pipeline (or command job) YAML, relative to the bundle root.
 * - `files`: every file the pipeline names, keyed by a relative POSIX path (no `..`, no leading
 *   `/`, no `\`, no empty or `.` segments), content base64-encoded.
 * - `directories` (optional): folders the pipeline names that hold no file (an empty code folder).
 * The root is the deepest folder holding the entry and every local path it names (component files,
 * folders filtered by the `.amlignore`/`.gitignore` files inside them as az ml filters code, conda
 * files, Docker contexts, local data),
 * so the plan built from a bundle has the same relative paths as the one built on disk.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { z } from 'zod';
import { ValidationError } from '../errors';
import { loadPlanFromFile, type LoadOptions } from './load';
import { problemsToError } from './problems';
import { normalizeRelPath, type SourceTree } from './source-tree';

export interface PipelineBundle {
  entry: string;
  files: Record<string, { base64: string }>;
  directories?: string[];
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const bundleSchema = z.object({
  entry: z.string().min(1),
  files: z.record(z.string(), z.object({ base64: z.string().regex(BASE64, 'not base64') }).strict()),
  directories: z.array(z.string()).optional(),
}).strict();

/** A path as a bundle may hold it: already normal, relative, inside the root. */
function checkBundlePath(p: string, field: string): string {
  const norm = normalizeRelPath(p);
  if (norm === undefined || norm === '' || norm !== p) {
    throw new ValidationError('invalid_bundle', `${field}: '${p}' is not a relative path inside the bundle (no '..', leading '/', '\\', or empty segments)`, { path: field });
  }
  return norm;
}

/** Validates a bundle received as JSON; throws ValidationError (`invalid_bundle`) naming the field. */
export function parseBundle(value: unknown): PipelineBundle {
  const parsed = bundleSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.') || '(bundle)';
    throw new ValidationError('invalid_bundle', `${field}: ${issue.message}`, { path: field });
  }
  const b = parsed.data;
  for (const p of Object.keys(b.files)) checkBundlePath(p, `files.${p}`);
  for (const d of b.directories ?? []) checkBundlePath(d, 'directories');
  checkBundlePath(b.entry, 'entry');
  if (!(b.entry in b.files)) throw new ValidationError('invalid_bundle', `entry: '${b.entry}' is not one of the bundle's files`, { path: 'entry' });
  return b;
}

/** A bundle as a source tree (for loadPlanFromSource). */
export function openBundle(bundle: PipelineBundle): SourceTree {
  const b = parseBundle(bundle);
  const files = new Map(Object.entries(b.files).map(([p, f]) => [p, Buffer.from(f.base64, 'base64')]));
  const dirs = new Set<string>(['']);
  const addParents = (p: string, includeSelf: boolean): void => {
    const parts = p.split('/');
    for (let i = 1; i < parts.length + (includeSelf ? 1 : 0); i++) dirs.add(parts.slice(0, i).join('/'));
  };
  for (const p of files.keys()) addParents(p, false);
  for (const d of b.directories ?? []) addParents(d, true);
  const norm = (p: string): string => {
    const n = normalizeRelPath(p);
    if (n === undefined) throw new ValidationError('path_outside_root', `'${p}' is outside the bundle`);
    return n;
  };
  const read = (p: string): Buffer => {
    const data = files.get(norm(p));
    if (!data) throw Object.assign(new Error(`ENOENT: no such file in bundle: ${p}`), { code: 'ENOENT' });
    return data;
  };
  return {
    readText: async (p) => read(p).toString('utf8'),
    readBytes: async (p) => read(p),
    exists: async (p) => files.has(norm(p)) || dirs.has(norm(p)),
    isDirectory: async (p) => dirs.has(norm(p)),
    list: async (dir) => {
      const d = norm(dir);
      return [...files.keys()].filter((f) => d === '' || f.startsWith(`${d}/`)).sort();
    },
  };
}

interface Matcher {
  base: string;
  ig: Ignore;
}

/** Ignore rules of one folder: `.amlignore` wins over `.gitignore`, as in Azure ML. */
async function folderMatcher(absDir: string, relDir: string): Promise<Matcher | undefined> {
  for (const name of ['.amlignore', '.gitignore']) {
    try {
      const text = await fs.readFile(path.join(absDir, name), 'utf8');
      return { base: relDir, ig: ignore().add(text) };
    } catch {
      // no such ignore file here
    }
  }
  return undefined;
}

function ignored(matchers: Matcher[], rel: string, isDir: boolean): boolean {
  return matchers.some((m) => {
    const sub = m.base ? rel.slice(m.base.length + 1) : rel;
    return sub !== '' && m.ig.ignores(isDir ? `${sub}/` : sub);
  });
}

/** Files of a folder (root-relative), honouring nested `.amlignore`/`.gitignore` files. */
async function collectFolder(rootAbs: string, rel: string, matchers: Matcher[], out: { files: string[]; dirs: string[] }): Promise<void> {
  const abs = path.join(rootAbs, ...rel.split('/').filter(Boolean));
  const own = await folderMatcher(abs, rel);
  const active = own ? [...matchers, own] : matchers;
  const entries = (await fs.readdir(abs, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  let kept = 0;
  for (const e of entries) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (ignored(active, child, e.isDirectory())) continue;
    kept++;
    if (e.isDirectory()) await collectFolder(rootAbs, child, active, out);
    else if (e.isFile()) out.files.push(child);
  }
  if (kept === 0) out.dirs.push(rel);
}

/**
 * Builds the bundle of a YAML file on disk: the entry and every local path its plan names.
 * Registered components that cannot be looked up here are left to the server (which has the
 * registry); any other problem is thrown as one ValidationError listing them all.
 */
export async function buildBundleFromDisk(file: string, opts: LoadOptions = {}): Promise<{ bundle: PipelineBundle; root: string }> {
  const { root, result } = await loadPlanFromFile(file, opts);
  let named: string[];
  if (result.ok) named = result.plan.localPaths;
  else {
    const blocking = result.problems.filter((p) => p.code !== 'unresolved_reference');
    if (blocking.length > 0) throw problemsToError(blocking);
    named = result.localPaths;
  }
  const out = { files: [] as string[], dirs: [] as string[] };
  for (const rel of named) {
    const abs = path.join(root, ...rel.split('/').filter((s) => s && s !== '.'));
    const stat = await fs.stat(abs);
    if (stat.isDirectory()) await collectFolder(root, rel === '.' ? '' : rel, [], out);
    else out.files.push(rel);
  }
  const files: PipelineBundle['files'] = {};
  for (const rel of [...new Set(out.files)].sort()) {
    files[rel] = { base64: (await fs.readFile(path.join(root, ...rel.split('/')))).toString('base64') };
  }
  const entry = path.relative(root, path.resolve(file)).split(path.sep).join('/');
  const directories = [...new Set(out.dirs)].filter((d) => d !== '').sort();
  return { bundle: { entry, files, ...(directories.length > 0 ? { directories } : {}) }, root };
}
