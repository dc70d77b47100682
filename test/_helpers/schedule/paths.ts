/** Locations of test data, found from the compiled test file whatever the build folder. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'aml-pipeline-scheduler') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no project root above ${start}`);
  }
}

export const repoRoot = findRoot(__dirname);
export const scheduleFixtures = path.join(repoRoot, 'test', 'fixtures', 'schedule');
export const amlExampleSchedules = path.join(repoRoot, '..', 'shared', 'fixtures', 'azureml-examples', 'schedules');
