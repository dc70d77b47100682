/**
 * The files a pipeline names, read through one interface rooted at a "source root", so the same
 * loader works on disk (the CLI) and on an in-memory pipeline bundle (HTTP). Every path here is
 * relative to the root, with POSIX separators; paths that escape the root are refused.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface SourceTree {
  /** Text of a file; rejects when it is missing or unreadable. */
  readText(relPath: string): Promise<string>;
  readBytes(relPath: string): Promise<Buffer>;
  exists(relPath: string): Promise<boolean>;
  isDirectory(relPath: string): Promise<boolean>;
  /** Every file under a folder (recursively), as root-relative paths, sorted. */
  list(relDir: string): Promise<string[]>;
}

/**
 * Normalises a root-relative POSIX path (`a/./b/../c` → `a/c`, `.` → ``); undefined when it is
 * absolute or climbs above the root.
 */
export function normalizeRelPath(p: string): string | undefined {
  if (p.startsWith('/') || p.includes('\\') || /^[A-Za-z]:/.test(p)) return undefined;
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(seg);
  }
  return out.join('/');
}

/** Folder of a root-relative file path (`` for files at the root). */
export function relDirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

/** Resolves `ref` (as written in a YAML file) against the folder of `fromFile`; undefined when it escapes the root. */
export function resolveRelative(fromFile: string, ref: string): string | undefined {
  const dir = relDirname(fromFile);
  return normalizeRelPath(dir ? `${dir}/${ref}` : ref);
}

/** A folder on disk as a source tree. */
export class DiskSourceTree implements SourceTree {
  constructor(readonly rootDir: string) {}

  private abs(relPath: string): string {
    const norm = normalizeRelPath(relPath);
    if (norm === undefined) throw new Error(`path escapes the source root: ${relPath}`);
    return path.join(this.rootDir, ...norm.split('/').filter(Boolean));
  }

  readText(relPath: string): Promise<string> {
    return fs.readFile(this.abs(relPath), 'utf8');
  }

  readBytes(relPath: string): Promise<Buffer> {
    return fs.readFile(this.abs(relPath));
  }

  async exists(relPath: string): Promise<boolean> {
    try {
      await fs.stat(this.abs(relPath));
      return true;
    } catch {
      return false;
    }
  }

  async isDirectory(relPath: string): Promise<boolean> {
    try {
      return (await fs.stat(this.abs(relPath))).isDirectory();
    } catch {
      return false;
    }
  }

  async list(relDir: string): Promise<string[]> {
    const base = normalizeRelPath(relDir) ?? '';
    const out: string[] = [];
    const walk = async (rel: string): Promise<void> => {
      const entries = await fs.readdir(this.abs(rel), { withFileTypes: true });
      for (const e of entries) {
        const child = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) await walk(child);
        else out.push(child);
      }
    };
    if (await this.isDirectory(base)) await walk(base);
    return out.sort();
  }
}
