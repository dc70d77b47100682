/** Pipeline bundles: built from disk (with .amlignore/.gitignore), opened as a source tree, unsafe paths refused. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { buildBundleFromDisk, openBundle, parseBundle, type PipelineBundle } from '../../../shared/spec/bundle';
import { loadPlanFromFile, loadPlanFromSource } from '../../../shared/spec/load';
import { azuremlExamples, scratch, type Scratch } from '../../_helpers/spec/workspace';

const b64 = (text: string): { base64: string } => ({ base64: Buffer.from(text).toString('base64') });

describe('pipeline bundles', () => {
  const scratches: Scratch[] = [];
  after(async () => {
    await Promise.all(scratches.map((s) => s.dispose()));
  });

  it('carries the entry and every file it names; the bundle loads to the same plan', async () => {
    const s = await scratch(path.join(azuremlExamples, 'jobs', 'pipelines', 'iris-batch-prediction-using-parallel'));
    scratches.push(s);
    await s.write({
      'neural-iris-mltable/MLTable': 'paths:\n  - file: ./iris.csv\n',
      'neural-iris-mltable/iris.csv': 'a,b\n1,2\n',
      'iris-model/': '',
      'script/iris_prediction.py': 'print(1)\n',
      'script/.amlignore': '*.tmp\ncache/\n',
      'script/scratch.tmp': 'x',
      'script/cache/big.bin': 'x',
      'script/lib/.gitignore': '*.pyc\n',
      'script/lib/util.py': 'x = 1\n',
      'script/lib/util.pyc': 'x',
      'environment/environment_parallel.yml': 'name: prs\n',
      'unrelated.txt': 'not named by the pipeline',
    });
    const { bundle, root } = await buildBundleFromDisk(s.at('pipeline.yml'));
    assert.equal(root, s.dir);
    assert.equal(bundle.entry, 'pipeline.yml');
    assert.deepEqual(Object.keys(bundle.files).sort(), [
      'environment/environment_parallel.yml',
      'neural-iris-mltable/MLTable',
      'neural-iris-mltable/iris.csv',
      'pipeline.yml',
      'script/.amlignore',
      'script/iris_prediction.py',
      'script/lib/.gitignore',
      'script/lib/util.py',
    ]);
    assert.deepEqual(bundle.directories, ['iris-model']);
    assert.equal(Buffer.from(bundle.files['script/iris_prediction.py']!.base64, 'base64').toString(), 'print(1)\n');

    const fromBundle = await loadPlanFromSource(openBundle(JSON.parse(JSON.stringify(bundle)) as PipelineBundle), bundle.entry);
    const fromDisk = (await loadPlanFromFile(s.at('pipeline.yml'))).result;
    assert.ok(fromBundle.ok && fromDisk.ok);
    assert.equal(fromBundle.plan.contentHash, fromDisk.plan.contentHash);
    assert.deepEqual(fromBundle.plan, fromDisk.plan);
  });

  it('names the root folder `.` on disk and in a bundle alike', async () => {
    const s = await scratch();
    scratches.push(s);
    await s.write({ 'p.yml': 'type: pipeline\njobs:\n  a:\n    command: python run.py\n    code: .\n    environment: azureml:e:1\n', 'run.py': 'print(1)\n' });
    const { bundle } = await buildBundleFromDisk(s.at('p.yml'));
    assert.deepEqual(Object.keys(bundle.files).sort(), ['p.yml', 'run.py']);
    const fromDisk = (await loadPlanFromFile(s.at('p.yml'))).result;
    const fromBundle = await loadPlanFromSource(openBundle(bundle), bundle.entry);
    assert.ok(fromDisk.ok && fromBundle.ok);
    assert.deepEqual(fromDisk.plan.localPaths, ['.', 'p.yml']);
    assert.deepEqual(fromBundle.plan, fromDisk.plan);
  });

  it('throws one ValidationError listing the problems of an invalid pipeline', async () => {
    const s = await scratch();
    scratches.push(s);
    await s.write({ 'p.yml': 'type: pipeline\njobs:\n  a:\n    command: python x.py\n    code: ./src\n    environment: azureml:e:1\n' });
    await assert.rejects(buildBundleFromDisk(s.at('p.yml')), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'missing_path');
      assert.equal(err.message, "p.yml:5:11: jobs.a.code: local path './src' does not exist [missing_path]");
      return true;
    });
  });

  it('opens as a source tree', async () => {
    const tree = openBundle({ entry: 'a/p.yml', files: { 'a/p.yml': b64('x'), 'a/src/m.py': b64('y') }, directories: ['a/empty'] });
    assert.equal(await tree.readText('a/p.yml'), 'x');
    assert.equal(await tree.exists('a/src'), true);
    assert.equal(await tree.isDirectory('a/src'), true);
    assert.equal(await tree.isDirectory('a/empty'), true);
    assert.equal(await tree.isDirectory('a/p.yml'), false);
    assert.equal(await tree.exists('a/nope'), false);
    assert.deepEqual(await tree.list('a'), ['a/p.yml', 'a/src/m.py']);
    await assert.rejects(tree.readText('a/nope.yml'), /ENOENT/);
  });

  it('refuses paths that escape the root, and malformed bundles', () => {
    const bad: [unknown, string][] = [
      [{ entry: 'p.yml', files: { 'p.yml': b64('x'), '../etc/passwd': b64('x') } }, "files.../etc/passwd: '../etc/passwd' is not a relative path inside the bundle (no '..', leading '/', '\\', or empty segments)"],
      [{ entry: 'p.yml', files: { 'p.yml': b64('x'), '/abs/file': b64('x') } }, "files./abs/file: '/abs/file' is not a relative path inside the bundle (no '..', leading '/', '\\', or empty segments)"],
      [{ entry: 'p.yml', files: { 'p.yml': b64('x'), 'a\\b': b64('x') } }, "files.a\\b: 'a\\b' is not a relative path inside the bundle (no '..', leading '/', '\\', or empty segments)"],
      [{ entry: 'p.yml', files: { 'p.yml': b64('x'), 'a/../../b': b64('x') } }, "files.a/../../b: 'a/../../b' is not a relative path inside the bundle (no '..', leading '/', '\\', or empty segments)"],
      [{ entry: 'p.yml', files: { 'p.yml': b64('x') }, directories: ['..'] }, "directories: '..' is not a relative path inside the bundle (no '..', leading '/', '\\', or empty segments)"],
      [{ entry: 'q.yml', files: { 'p.yml': b64('x') } }, "entry: 'q.yml' is not one of the bundle's files"],
      [{ entry: 'p.yml', files: { 'p.yml': { base64: 'not base64!' } } }, 'files.p.yml.base64: not base64'],
      [{ files: {} }, 'entry: Invalid input: expected string, received undefined'],
    ];
    for (const [value, message] of bad) {
      assert.throws(() => parseBundle(value), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'invalid_bundle');
        assert.equal(err.message, message);
        return true;
      });
    }
  });
});
