/** Scratch folders for spec tests: copies of the azureml-examples fixtures and small YAML trees. */
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'aml-pipeline-scheduler') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no project root above ${start}`);
  }
}

export const repoRoot = findRoot(__dirname);
/** The read-only Azure ML examples (see its SOURCE.md). */
export const azuremlExamples = path.join(repoRoot, '..', 'shared', 'fixtures', 'azureml-examples');
export const specFixtures = path.join(repoRoot, 'test', 'fixtures', 'spec');

export interface Scratch {
  dir: string;
  /** Absolute path of a file inside the scratch folder. */
  at(rel: string): string;
  /** Writes files (creating folders); a path ending in `/` makes an empty folder. */
  write(files: Record<string, string>): Promise<void>;
  dispose(): Promise<void>;
}

export async function scratch(copyFrom?: string): Promise<Scratch> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'amlsched-spec-'));
  if (copyFrom) await cp(copyFrom, dir, { recursive: true });
  return {
    dir,
    at: (rel) => path.join(dir, ...rel.split('/')),
    write: async (files) => {
      for (const [rel, text] of Object.entries(files)) {
        const abs = path.join(dir, ...rel.split('/'));
        if (rel.endsWith('/')) await mkdir(abs, { recursive: true });
        else {
          await mkdir(path.dirname(abs), { recursive: true });
          await writeFile(abs, text);
        }
      }
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
