/**
 * Every pipeline YAML of the azureml-examples fixtures loads to a plan once the step code and
 * files it names exist (stand-ins, as SOURCE.md says); without them exactly those paths are
 * reported as `missing_path`; the sweep example is refused by name.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadComponentFromSource, loadPlanFromFile } from '../../../shared/spec/load';
import { DiskSourceTree } from '../../../shared/spec/source-tree';
import type { CommandStep, ParallelStep, PipelinePlan, PlannedStep } from '../../../shared/spec/plan';
import { azuremlExamples, scratch, type Scratch } from '../../_helpers/spec/workspace';

interface FixtureCase {
  /** Folder copied to a scratch dir, relative to azureml-examples. */
  folder: string;
  file: string;
  /** Root-relative missing paths reported before the stand-ins exist. */
  missing: string[];
  standIns: Record<string, string>;
  check(plan: PipelinePlan): void;
}

const PY = 'import sys\nprint(sys.argv)\n';
const scratches: Scratch[] = [];
after(async () => {
  await Promise.all(scratches.map((s) => s.dispose()));
});

function step(plan: PipelinePlan, name: string): PlannedStep {
  const s = plan.steps.find((x) => x.name === name);
  assert.ok(s, `step ${name}`);
  return s;
}

function command(plan: PipelinePlan, name: string): CommandStep {
  const s = step(plan, name);
  assert.equal(s.kind, 'command');
  return s as CommandStep;
}

const REGISTRY_SKLEARN = { kind: 'registry', uri: 'azureml://registries/azureml/environments/sklearn-1.5/labels/latest' };

const cases: FixtureCase[] = [
  {
    folder: 'jobs/basics',
    file: 'hello-pipeline.yml',
    missing: [],
    standIns: {},
    check(plan) {
      assert.equal(plan.sourceKind, 'pipeline');
      assert.equal(plan.displayName, 'hello_pipeline');
      assert.deepEqual(plan.steps.map((s) => s.name), ['hello_job', 'world_job']);
      const hello = command(plan, 'hello_job');
      assert.equal(hello.compute, 'cpu-cluster');
      assert.equal(hello.component.command, 'echo "hello"');
      assert.deepEqual(hello.component.environment, REGISTRY_SKLEARN);
      assert.deepEqual(hello.component.source, { kind: 'inline' });
      assert.deepEqual(hello.dependsOn, []);
    },
  },
  {
    folder: 'jobs/basics',
    file: 'hello-pipeline-io.yml',
    missing: [],
    standIns: {},
    check(plan) {
      assert.deepEqual(plan.steps.map((s) => s.name), ['hello_job', 'world_job']);
      const world = command(plan, 'world_job');
      assert.deepEqual(world.dependsOn, ['hello_job']);
      assert.deepEqual(world.inputs.world_input!.binding, { kind: 'step_output', step: 'hello_job', output: 'world_output' });
      assert.equal(world.inputs.world_input!.type, 'uri_folder');
      assert.deepEqual(command(plan, 'hello_job').outputs.world_output, { type: 'uri_folder', mode: 'rw_mount', bindsTo: [] });
    },
  },
  {
    folder: 'jobs/basics',
    file: 'hello-pipeline-serverless.yml',
    missing: [],
    standIns: {},
    check(plan) {
      assert.equal(plan.settings.defaultCompute, 'serverless');
      assert.deepEqual(plan.steps.map((s) => [s.name, (s as CommandStep).compute]), [['hello_job', 'serverless'], ['world_job', 'serverless']]);
    },
  },
  {
    folder: 'jobs/basics',
    file: 'hello-pipeline-abc.yml',
    missing: [],
    standIns: {},
    check(plan) {
      assert.deepEqual(plan.inputs.hello_string_top_level_input, { type: 'string', optional: false, value: 'hello world' });
      assert.deepEqual(plan.steps.map((s) => s.name), ['a', 'b', 'c']);
      const a = command(plan, 'a');
      assert.deepEqual(a.inputs.hello_string!.binding, { kind: 'parent_input', input: 'hello_string_top_level_input' });
      assert.equal(a.inputs.hello_string!.type, 'string');
      assert.equal(a.compute, 'cpu-cluster');
      assert.deepEqual(command(plan, 'c').dependsOn, ['b']);
    },
  },
  {
    folder: 'schedules',
    file: 'simple-pipeline-job.yml',
    missing: [],
    standIns: {},
    check(plan) {
      // Top-level `compute:` is the pipeline's default compute.
      assert.equal(plan.settings.defaultCompute, 'cpu-cluster');
      assert.deepEqual(plan.steps.map((s) => [s.name, (s as CommandStep).compute, s.dependsOn]), [['a', 'cpu-cluster', []], ['b', 'cpu-cluster', []], ['c', 'cpu-cluster', ['b']]]);
    },
  },
  {
    folder: 'jobs/pipelines-with-components/basics/2a_basic_component',
    file: 'pipeline.yml',
    missing: ['src'],
    standIns: { 'src/hello.py': PY },
    check(plan) {
      const s = command(plan, 'hello_python_world_job');
      assert.deepEqual(s.component.source, { kind: 'file', file: 'component.yml' });
      assert.equal(s.component.name, 'hello_python_world');
      assert.equal(s.component.version, '1');
      assert.equal(s.component.command, 'python hello.py');
      assert.deepEqual(s.component.code, { kind: 'local', path: 'src' });
      assert.deepEqual(s.component.environment, { kind: 'inline', image: 'python' });
      assert.deepEqual(plan.localPaths, ['component.yml', 'pipeline.yml', 'src']);
    },
  },
  {
    folder: 'jobs/pipelines-with-components/basics/2b_component_with_input_output',
    file: 'pipeline.yml',
    missing: ['src'],
    standIns: { 'src/hello.py': PY },
    check(plan) {
      const s = command(plan, 'hello_python_world_job');
      assert.deepEqual(s.inputs.sample_input_data!.binding, { kind: 'data', type: 'uri_folder', ref: { kind: 'local', path: 'data' } });
      // Not set by the job: the component's default.
      assert.deepEqual(s.inputs.sample_input_string!.binding, { kind: 'literal', value: 'hello_python_world_default' });
      assert.deepEqual(s.outputs.sample_output_data, { type: 'uri_folder', mode: 'rw_mount', bindsTo: ['pipeline_sample_output_data'] });
      assert.deepEqual(plan.outputs.pipeline_sample_output_data, { type: 'uri_folder', mode: 'upload' });
      assert.match(s.component.command!, /--input_data \$\{\{inputs.sample_input_data\}\}/);
      assert.ok(plan.localPaths.includes('data'));
    },
  },
  {
    folder: 'jobs/pipelines-with-components/basics/3a_basic_pipeline',
    file: 'pipeline.yml',
    missing: ['componentA_src', 'componentB_src', 'componentC_src'],
    standIns: { 'componentA_src/hello.py': PY, 'componentB_src/hello.py': PY, 'componentC_src/hello.py': PY },
    check(plan) {
      assert.deepEqual(plan.steps.map((s) => s.name), ['component_a', 'component_b', 'component_c']);
      assert.equal(command(plan, 'component_a').timeoutSeconds, 3600);
      assert.equal(command(plan, 'component_b').timeoutSeconds, undefined);
      // `default_datestore` (sic) is passed through by az ml and ignored: the default stays.
      assert.equal(plan.settings.defaultDatastore, 'workspaceblobstore');
      assert.equal(plan.settings.defaultCompute, 'cpu-cluster');
      assert.deepEqual(command(plan, 'component_c').component.environment, { kind: 'inline', image: 'docker.io/python' });
    },
  },
  {
    folder: 'jobs/pipelines-with-components/basics/5a_env_public_docker_image',
    file: 'pipeline.yml',
    missing: ['src'],
    standIns: { 'src/hello.py': PY },
    check(plan) {
      assert.deepEqual(command(plan, 'hello_python_world_job').component.environment, { kind: 'inline', image: 'docker.io/python' });
    },
  },
  {
    folder: 'jobs/pipelines-with-components/basics/5b_env_registered',
    file: 'pipeline.yml',
    missing: ['src'],
    standIns: { 'src/hello.py': PY },
    check(plan) {
      const s = command(plan, 'hello_python_world_job');
      assert.deepEqual(s.component.source, { kind: 'file', file: 'component.yml' }, 'file: prefix');
      assert.equal(s.component.version, '3');
      assert.deepEqual(s.component.environment, REGISTRY_SKLEARN);
    },
  },
  {
    folder: 'jobs/pipelines-with-components/basics/5c_env_conda_file',
    file: 'pipeline.yml',
    missing: ['src'],
    standIns: { 'src/hello.py': PY },
    check(plan) {
      assert.deepEqual(command(plan, 'hello_python_world_job').component.environment, {
        kind: 'inline',
        image: 'mcr.microsoft.com/azureml/openmpi5.0-cuda12.4-ubuntu22.04:latest',
        condaFile: 'conda.yaml',
      });
      assert.ok(plan.localPaths.includes('conda.yaml'));
    },
  },
  {
    folder: 'jobs/pipelines-with-components/basics/6a_tf_hello_world',
    file: 'pipeline.yml',
    missing: [],
    standIns: {},
    check(plan) {
      const s = command(plan, 'tf_job');
      assert.equal(s.compute, 'gpu-cluster');
      assert.deepEqual(s.resources, { instanceCount: 2 });
      assert.deepEqual(s.distribution, { type: 'tensorflow', worker_count: 2 });
      assert.equal(s.component.command, 'echo $TF_CONFIG');
    },
  },
  {
    folder: 'jobs/pipelines-with-components/basics/6b_pytorch_hello_world',
    file: 'pipeline.yml',
    missing: [],
    standIns: {},
    check(plan) {
      const s = command(plan, 'pytorch_job');
      assert.deepEqual(s.distribution, { type: 'pytorch', process_count_per_instance: 2 });
      assert.equal(s.component.name, 'py_torch_hello_world');
    },
  },
  {
    folder: 'jobs/pipelines-with-components/basics/6c_r_iris',
    file: 'pipeline.yml',
    missing: ['docker-context', 'src'],
    standIns: { 'src/train.R': 'print(commandArgs())\n', 'docker-context/Dockerfile': 'FROM rocker/r-ver\n' },
    check(plan) {
      const s = command(plan, 'r_iris_example');
      assert.deepEqual(s.inputs.iris!.binding, {
        kind: 'data',
        type: 'uri_file',
        ref: { kind: 'url', url: 'https://azuremlexamples.blob.core.windows.net/datasets/iris.csv' },
      });
      // YAML 1.1: `version: 01` is the octal integer 1, as az ml (PyYAML) reads it.
      assert.equal(s.component.version, '1');
      assert.deepEqual(s.component.environment, { kind: 'inline', build: { context: { kind: 'local', path: 'docker-context' } } });
    },
  },
  {
    folder: 'jobs/pipelines/iris-batch-prediction-using-parallel',
    file: 'pipeline.yml',
    missing: ['environment/environment_parallel.yml', 'iris-model', 'neural-iris-mltable', 'script'],
    standIns: {
      'neural-iris-mltable/MLTable': 'paths:\n  - file: ./iris.csv\n',
      'neural-iris-mltable/iris.csv': 'a,b\n1,2\n',
      'iris-model/model.txt': 'model\n',
      'script/iris_prediction.py': PY,
      'environment/environment_parallel.yml': 'name: prs\ndependencies: [python=3.10]\n',
    },
    check(plan) {
      assert.deepEqual(plan.tags, { tag: 'tagvalue', owner: 'sdkteam' });
      const s = step(plan, 'batch_prediction') as ParallelStep;
      assert.equal(s.kind, 'parallel');
      assert.equal(s.compute, 'cpu-cluster');
      assert.deepEqual(s.parallel.miniBatchSize, { kind: 'bytes', bytes: 10 * 1024 });
      assert.equal(s.parallel.inputData, 'input_data');
      assert.equal(s.parallel.errorThreshold, 5);
      assert.equal(s.parallel.maxConcurrencyPerInstance, 2);
      assert.equal(s.parallel.instanceCount, 2);
      assert.deepEqual(s.parallel.retry, { maxRetries: 2, timeoutSeconds: 60 });
      assert.equal(s.parallel.loggingLevel, 'DEBUG');
      assert.equal(s.parallel.task.entryScript, 'iris_prediction.py');
      assert.equal(s.parallel.task.appendRowTo, 'job_output_file');
      assert.deepEqual(s.parallel.task.code, { kind: 'local', path: 'script' });
      assert.match(s.parallel.task.programArguments!, /^--model \$\{\{inputs.score_model\}\} --error_threshold 5/);
      assert.deepEqual(s.parallel.task.environment, {
        kind: 'inline',
        name: 'prs-env',
        version: '1',
        image: 'mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04',
        condaFile: 'environment/environment_parallel.yml',
      });
      assert.deepEqual(s.inputs.input_data!.binding, { kind: 'data', type: 'mltable', ref: { kind: 'local', path: 'neural-iris-mltable' }, mode: 'direct' });
      assert.deepEqual(s.inputs.score_model!.binding, { kind: 'data', type: 'uri_folder', ref: { kind: 'local', path: 'iris-model' }, mode: 'download' });
      assert.deepEqual(s.outputs.job_output_file, { type: 'uri_file', mode: 'rw_mount', bindsTo: [] });
    },
  },
  {
    folder: 'jobs/pipelines/mnist-batch-identification-using-parallel',
    file: 'pipeline.yml',
    missing: ['environment/environment_parallel.yml', 'environment/environment_prepare.yml', 'mnist_models', 'script'],
    standIns: {
      'script/prepare_data.py': PY,
      'script/dump_mltable.py': PY,
      'script/digit_identification.py': PY,
      'environment/environment_prepare.yml': 'name: prep\n',
      'environment/environment_parallel.yml': 'name: par\n',
      'mnist_models/model.txt': 'm\n',
    },
    check(plan) {
      assert.deepEqual(plan.steps.map((s) => [s.name, s.dependsOn]), [
        ['prepare_data', []],
        ['predict_digits_mnist', ['prepare_data']],
        ['view_prediction_result', ['predict_digits_mnist']],
      ]);
      const prep = command(plan, 'prepare_data');
      assert.deepEqual(prep.outputs.mnist_png, { type: 'mltable', mode: 'rw_mount', bindsTo: [] });
      const predict = step(plan, 'predict_digits_mnist') as ParallelStep;
      assert.deepEqual(predict.inputs.job_data_path!.binding, { kind: 'step_output', step: 'prepare_data', output: 'mnist_png', mode: 'eval_mount' });
      assert.equal(predict.inputs.job_data_path!.type, 'mltable');
      assert.deepEqual(predict.parallel.miniBatchSize, { kind: 'count', files: 5 });
      const view = command(plan, 'view_prediction_result');
      assert.equal(view.inputs.inference_result!.type, 'uri_file');
    },
  },
];

describe('azureml-examples fixtures', () => {
  for (const c of cases) {
    it(`${c.folder}/${c.file}: missing paths first, then a plan`, async () => {
      const s = await scratch(path.join(azuremlExamples, c.folder));
      scratches.push(s);
      const before = await loadPlanFromFile(s.at(c.file));
      if (c.missing.length > 0) {
        assert.equal(before.result.ok, false);
        assert.ok(!before.result.ok);
        assert.deepEqual(before.result.problems.map((p) => p.code), c.missing.map(() => 'missing_path'), JSON.stringify(before.result.problems));
        assert.deepEqual(before.result.problems.map((p) => p.target).sort(), c.missing);
        await s.write(c.standIns);
      }
      const { root, result } = await loadPlanFromFile(s.at(c.file));
      assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
      assert.equal(root, s.dir);
      assert.equal(result.plan.file, c.file);
      assert.match(result.plan.contentHash, /^[0-9a-f]{64}$/);
      assert.ok(!JSON.stringify(result.plan).includes(s.dir), 'no absolute paths in the plan');
      c.check(result.plan);
    });
  }

  it('the sweep example\'s trial and predict components load on their own', async () => {
    const s = await scratch(path.join(azuremlExamples, 'jobs/pipelines-with-components/pipeline_with_hyperparameter_sweep'));
    scratches.push(s);
    const tree = new DiskSourceTree(s.dir);
    const before = await loadComponentFromSource(tree, 'train.yml');
    assert.ok(!before.ok);
    assert.deepEqual(before.problems.map((p) => [p.code, p.target]), [['missing_path', 'train-src']]);
    await s.write({ 'train-src/train.py': PY, 'predict-src/predict.py': PY });
    const train = await loadComponentFromSource(tree, 'train.yml');
    assert.ok(train.ok, JSON.stringify(!train.ok && train.problems));
    assert.equal(train.component.name, 'train_model');
    assert.deepEqual(train.component.inputs.tol, { type: 'number', optional: false, default: 0.001 });
    assert.deepEqual(train.component.inputs.shrinking, { type: 'boolean', optional: false, default: false });
    assert.deepEqual(train.component.inputs.max_iter, { type: 'integer', optional: false, default: -1 });
    assert.deepEqual(train.component.outputs, { model_output: { type: 'mlflow_model' }, test_data: { type: 'uri_folder' } });
    const predict = await loadComponentFromSource(tree, 'predict.yml');
    assert.ok(predict.ok);
    assert.deepEqual(predict.component.inputs.model, { type: 'mlflow_model', optional: false });
  });

  it('refuses the hyperparameter sweep example by name', async () => {
    const s = await scratch(path.join(azuremlExamples, 'jobs/pipelines-with-components/pipeline_with_hyperparameter_sweep'));
    scratches.push(s);
    await s.write({ 'predict-src/predict.py': PY });
    const { result } = await loadPlanFromFile(s.at('pipeline.yml'));
    assert.ok(!result.ok);
    assert.deepEqual(result.problems, [
      {
        code: 'unsupported_job_type',
        file: 'pipeline.yml',
        line: 9,
        column: 11,
        path: 'jobs.sweep_step.type',
        message: "Azure ML job type 'sweep' is not supported by amlsched (supported: command, parallel, pipeline); nothing was run",
      },
    ]);
  });
});
