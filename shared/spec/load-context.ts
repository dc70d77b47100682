/** State shared by the parts of one load: the source tree, the problems found, and what was read. */
import type { ComponentResolver } from '../registry/types';
import type { SourceLocation } from './plan';
import { Problems, type ProblemCode } from './problems';
import type { SourceTree } from './source-tree';
import { parseYaml, type ParsedYaml, type YNode } from './yaml-node';

export class LoadContext {
  readonly problems = new Problems();
  /** Not fatal: things az ml accepts but this product ignores (unknown `settings` keys). */
  readonly warnings = new Problems();
  /** Every local file and folder named, root-relative. */
  readonly localPaths = new Set<string>();
  private readonly yamlCache = new Map<string, Promise<ParsedYaml | undefined>>();
  private readonly existsCache = new Map<string, Promise<boolean>>();
  private readonly missingReported = new Set<string>();
  /** Component files being read, outermost first (a pipeline component that uses itself is a cycle). */
  readonly componentStack: string[] = [];

  constructor(
    readonly tree: SourceTree,
    readonly resolver: ComponentResolver | undefined,
  ) {}

  report(at: YNode | SourceLocation, code: ProblemCode, message: string, target?: string): void {
    this.problems.add('loc' in at ? at.loc : at, code, message, target);
  }

  warn(at: YNode, code: ProblemCode, message: string): void {
    this.warnings.add(at.loc, code, message);
  }

  /** Parses a YAML file once per load; unreadable files and syntax errors are reported at `from`. */
  loadYaml(relPath: string, from?: YNode, written?: string): Promise<ParsedYaml | undefined> {
    let cached = this.yamlCache.get(relPath);
    if (!cached) {
      cached = this.tree.readText(relPath).then(
        (text) => parseYaml(relPath, text, this.problems),
        async (err: unknown) => {
          if (from) {
            const missing = !(await this.tree.exists(relPath));
            const shown = written ?? relPath;
            if (missing) this.reportMissing(from, relPath, 'file', shown);
            else if (await this.tree.isDirectory(relPath)) this.report(from, 'unreadable_file', `cannot read '${shown}': it is a folder, not a YAML file`);
            else this.report(from, 'unreadable_file', `cannot read '${shown}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
          }
          return undefined;
        },
      );
      this.yamlCache.set(relPath, cached);
    }
    return cached;
  }

  /** Records a local path the plan names and reports it (once) when it does not exist. */
  async requireLocal(at: YNode, relPath: string, what: 'file' | 'folder' | 'path', written: string): Promise<boolean> {
    this.localPaths.add(relPath);
    let ok = this.existsCache.get(relPath);
    if (!ok) {
      ok = this.tree.exists(relPath);
      this.existsCache.set(relPath, ok);
    }
    if (await ok) return true;
    this.reportMissing(at, relPath, what, written);
    return false;
  }

  private reportMissing(at: YNode, relPath: string, what: string, written: string): void {
    if (this.missingReported.has(relPath)) return;
    this.missingReported.add(relPath);
    this.report(at, 'missing_path', `local ${what} '${written}' does not exist`, relPath);
  }
}
