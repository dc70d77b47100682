/** `amlsched validate` end to end as a subprocess: exit codes 0/1/2, text and JSON output. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { azuremlExamples, scratch, type Scratch } from '../_helpers/spec/workspace';

const CLI = path.resolve(__dirname, '..', '..', 'cli', 'main.js');

function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'validate', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('amlsched validate', () => {
  let ws: Scratch;
  before(async () => {
    ws = await scratch(path.join(azuremlExamples, 'jobs', 'pipelines', 'mnist-batch-identification-using-parallel'));
    await ws.write({ 'hello.yml': 'type: pipeline\njobs:\n  a:\n    command: echo hi\n    environment: azureml:env:1\n' });
  });
  after(() => ws.dispose());

  it('exits 1 and names every missing path with its location', async () => {
    const r = await run(['pipeline.yml'], ws.dir);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trim().split('\n');
    assert.deepEqual(lines, [
      "pipeline.yml:16:11: jobs.prepare_data.code: local path './script' does not exist [missing_path]",
      "pipeline.yml:26:21: jobs.prepare_data.environment.conda_file: local file './environment/environment_prepare.yml' does not exist [missing_path]",
      "pipeline.yml:38:15: jobs.predict_digits_mnist.inputs.score_model.path: local path './mnist_models' does not exist [missing_path]",
      "pipeline.yml:64:21: jobs.predict_digits_mnist.task.environment.conda_file: local file './environment/environment_parallel.yml' does not exist [missing_path]",
      'invalid: 4 problems',
    ]);
  });

  it('prints the JSON shape of DESIGN.md for an invalid document', async () => {
    const r = await run(['pipeline.yml', '--output', 'json'], ws.dir);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout) as { valid: boolean; plan: unknown; errors: Record<string, unknown>[] };
    assert.equal(out.valid, false);
    assert.equal(out.plan, null);
    assert.equal(out.errors.length, 4);
    assert.deepEqual(Object.keys(out.errors[0]!).sort(), ['code', 'column', 'file', 'line', 'message', 'path', 'target']);
    assert.deepEqual(out.errors[0], {
      code: 'missing_path',
      file: 'pipeline.yml',
      line: 16,
      column: 11,
      path: 'jobs.prepare_data.code',
      message: "local path './script' does not exist",
      target: 'script',
    });
  });

  it('exits 0 and prints the plan once the files exist (text and JSON)', async () => {
    await ws.write({
      'script/prepare_data.py': 'print(1)\n',
      'environment/environment_prepare.yml': 'name: a\n',
      'environment/environment_parallel.yml': 'name: b\n',
      'mnist_models/': '',
    });
    const text = await run(['pipeline.yml'], ws.dir);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^valid: pipeline mnist-batch-identification-using-parallel \(3 steps\)$/m);
    assert.match(text.stdout, /^ {2}1\. prepare_data \[command\] compute cpu-cluster; depends on: -$/m);
    assert.match(text.stdout, /^ {2}2\. predict_digits_mnist \[parallel\] compute cpu-cluster; depends on: prepare_data$/m);
    assert.match(text.stdout, /^ {2}3\. view_prediction_result \[command\] compute cpu-cluster; depends on: predict_digits_mnist$/m);
    assert.match(text.stdout, /parallel: input job_data_path, mini-batch 5 files, 2 instance\(s\) x 2/);

    const json = await run([path.join(ws.dir, 'pipeline.yml'), '--output', 'json'], path.dirname(ws.dir));
    assert.equal(json.code, 0, json.stderr);
    const out = JSON.parse(json.stdout) as { valid: boolean; errors: unknown[]; plan: { steps: { name: string; dependsOn: string[] }[]; contentHash: string } };
    assert.equal(out.valid, true);
    assert.deepEqual(out.errors, []);
    assert.deepEqual(out.plan.steps.map((s) => [s.name, s.dependsOn]), [
      ['prepare_data', []],
      ['predict_digits_mnist', ['prepare_data']],
      ['view_prediction_result', ['predict_digits_mnist']],
    ]);
    assert.match(out.plan.contentHash, /^[0-9a-f]{64}$/);
  });

  it('checks a schedule and the pipeline its create_job names', async () => {
    const sched = await scratch(path.join(azuremlExamples, 'schedules'));
    try {
      const ok = await run(['cron-job-schedule.yml', '--output', 'json'], sched.dir);
      assert.equal(ok.code, 0, ok.stderr);
      const out = JSON.parse(ok.stdout) as { valid: boolean; schedule: { name: string }; plan: { file: string; steps: unknown[] } };
      assert.equal(out.valid, true);
      assert.equal(out.schedule.name, 'simple_cron_job_schedule');
      assert.equal(out.plan.file, 'simple-pipeline-job.yml');
      assert.equal(out.plan.steps.length, 3);
      await sched.write({ 'simple-pipeline-job.yml': 'type: pipeline\njobs:\n  a:\n    type: automl\n' });
      const bad = await run(['cron-job-schedule.yml'], sched.dir);
      assert.equal(bad.code, 1);
      assert.equal(
        bad.stderr,
        "simple-pipeline-job.yml:4:11: jobs.a.type: Azure ML job type 'automl' is not supported by amlsched (supported: command, parallel, pipeline); nothing was run [unsupported_job_type]\ninvalid: 1 problem\n",
      );
    } finally {
      await sched.dispose();
    }
  });

  it('exits 2 for usage errors', async () => {
    const cases = [[], ['nope.yml'], ['hello.yml', '--output', 'xml'], ['hello.yml', '--bogus']];
    const results = await Promise.all(cases.map((args) => run(args, ws.dir)));
    results.forEach((r, i) => {
      assert.equal(r.code, 2, `${cases[i]!.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.notEqual(r.stderr, '');
    });
  });

  it('shows registrations and warnings', async () => {
    await ws.write({
      'reg.yml': [
        'type: pipeline',
        'settings:',
        '  default_datestore: azureml:other',
        'outputs:',
        '  final:',
        '    name: scores',
        '    version: "3"',
        'jobs:',
        '  a:',
        '    command: echo ${{outputs.o}} ${{outputs.p}}',
        '    environment: azureml:env:1',
        '    outputs:',
        '      o: ${{parent.outputs.final}}',
        '      p:',
        '        type: uri_file',
        '        name: side',
        '',
      ].join('\n'),
    });
    const r = await run(['reg.yml'], ws.dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^outputs to register:\n {2}pipeline output final -> scores:3\n {2}a\.p -> side$/m);
    assert.equal(r.stderr, "warning: reg.yml:3:22: settings.default_datestore: unknown setting 'default_datestore' is passed through by az ml and ignored (did you mean 'default_datastore'?) [unknown_setting]\n");
  });
});
