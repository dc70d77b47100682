/**
 * Resolves a Functions app's entry points the way the Node worker does: `package.json` `main` is a
 * glob relative to the app folder (protocols §1.4). Node 20's fs has no glob, so the folder under the
 * pattern's static base is walked and matched with picomatch.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { ConfigurationError } from '../../shared/errors';

function walk(root: string, rel: string, out: string[]): void {
  for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(root, child, out);
    } else if (entry.isFile()) {
      out.push(child);
    }
  }
}

/** Absolute paths of the files `pattern` matches under `dir`, sorted for a stable load order. */
export function matchEntryPoints(dir: string, pattern: string): string[] {
  const normalized = pattern.replace(/\\/g, '/').replace(/^\.\//, '');
  const scan = picomatch.scan(normalized);
  if (!scan.isGlob) {
    const file = path.resolve(dir, normalized);
    try {
      return statSync(file).isFile() ? [file] : [];
    } catch {
      return [];
    }
  }
  const base = scan.base;
  let baseStat;
  try {
    baseStat = statSync(path.join(dir, base));
  } catch {
    return [];
  }
  if (!baseStat.isDirectory()) return [];
  const files: string[] = [];
  walk(dir, base, files);
  const isMatch = picomatch(normalized, { dot: false });
  return files.filter((f) => isMatch(f)).sort().map((f) => path.resolve(dir, f));
}

export interface AppPackage {
  main: string;
  isModule: boolean;
}

export function readAppPackage(dir: string): AppPackage {
  const file = path.join(dir, 'package.json');
  let pkg: { main?: unknown; type?: unknown };
  try {
    pkg = JSON.parse(readFileSync(file, 'utf8')) as typeof pkg;
  } catch (err) {
    throw new ConfigurationError(`${file}`, `cannot read the app's package.json: ${(err as Error).message}`);
  }
  if (typeof pkg.main !== 'string' || pkg.main.trim() === '') {
    throw new ConfigurationError(`${file}#main`, 'must name the entry point(s) of the Functions app (a path or glob relative to the app folder)');
  }
  return { main: pkg.main, isModule: pkg.type === 'module' };
}

/** The entry points of the app in `dir`; fails loudly when `main` matches nothing (e.g. not built). */
export function resolveEntryPoints(dir: string): { files: string[]; isModule: boolean } {
  const { main, isModule } = readAppPackage(dir);
  const files = matchEntryPoints(dir, main);
  if (files.length === 0) {
    throw new ConfigurationError(`${path.join(dir, 'package.json')}#main`,
      `"${main}" matches no file under ${dir} (is the app built?)`);
  }
  return { files, isModule };
}
