/** loadPlanFromSource / loadPlanFromFile: registered and nested components, command jobs, hashes, YAML 1.1. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ServiceError } from '../../../shared/errors';
import type { ComponentResolver } from '../../../shared/registry/types';
import { openBundle, type PipelineBundle } from '../../../shared/spec/bundle';
import { loadPlanFromFile, loadPlanFromSource, type LoadResult } from '../../../shared/spec/load';
import type { CommandStep, PipelinePlan, PipelineStep } from '../../../shared/spec/plan';
import { scratch, type Scratch } from '../../_helpers/spec/workspace';

function bundleOf(files: Record<string, string>, entry = 'p.yml'): PipelineBundle {
  return { entry, files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, { base64: Buffer.from(v).toString('base64') }])) };
}

async function load(files: Record<string, string>, resolver?: ComponentResolver): Promise<LoadResult> {
  return loadPlanFromSource(openBundle(bundleOf(files)), 'p.yml', resolver ? { resolver } : {});
}

function planOf(r: LoadResult): PipelinePlan {
  assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
  return r.plan;
}

const TRAIN = {
  $schema: 'https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json',
  type: 'command',
  name: 'train',
  version: '7',
  inputs: { lr: { type: 'number', default: 0.1 }, data: { type: 'uri_folder' } },
  outputs: { model: { type: 'mlflow_model' } },
  environment: 'azureml:sklearn:2',
  command: 'python train.py --lr ${{inputs.lr}} --data ${{inputs.data}} --out ${{outputs.model}}',
};

const USES_REGISTERED = `type: pipeline
jobs:
  train:
    component: azureml:train@latest
    inputs:
      data:
        type: uri_folder
        path: azureml:iris:1
`;

describe('registered components', () => {
  it('resolves azureml:NAME@latest through the resolver', async () => {
    const asked: string[] = [];
    const resolver: ComponentResolver = {
      resolve: async (name, version) => {
        asked.push(`${name}:${version}`);
        return name === 'train' ? TRAIN : undefined;
      },
    };
    const plan = planOf(await load({ 'p.yml': USES_REGISTERED }, resolver));
    assert.deepEqual(asked, ['train:latest']);
    const s = plan.steps[0] as CommandStep;
    assert.deepEqual(s.component.source, { kind: 'registered', name: 'train', version: '7' });
    assert.deepEqual(s.component.environment, { kind: 'registered', name: 'sklearn', version: '2' });
    assert.deepEqual(s.inputs.lr!.binding, { kind: 'literal', value: 0.1 });
    assert.deepEqual(s.inputs.data!.binding, { kind: 'data', type: 'uri_folder', ref: { kind: 'asset', name: 'iris', version: '1' } });
    assert.deepEqual(Object.keys(s.outputs), ['model']);
  });

  it('reports not found, offline and registry failures as unresolved_reference', async () => {
    const notFound = await load({ 'p.yml': USES_REGISTERED }, { resolve: async () => undefined });
    const failing = await load({ 'p.yml': USES_REGISTERED }, {
      resolve: async () => {
        throw new ServiceError('registry_unreachable', 'connection refused');
      },
    });
    const offline = await load({ 'p.yml': USES_REGISTERED });
    const messages = [notFound, failing, offline].map((r) => {
      assert.ok(!r.ok);
      assert.equal(r.problems.length, 1);
      const p = r.problems[0]!;
      assert.deepEqual([p.code, p.line, p.column, p.path], ['unresolved_reference', 4, 16, 'jobs.train.component']);
      return p.message;
    });
    assert.deepEqual(messages, [
      'registered component azureml:train@latest was not found in the registry',
      'registered component azureml:train@latest cannot be looked up: connection refused',
      'registered component azureml:train@latest cannot be looked up: no registry available (offline)',
    ]);
  });

  it('refuses local code paths in a registered component', async () => {
    const r = await load({ 'p.yml': USES_REGISTERED }, { resolve: async () => ({ ...TRAIN, code: './src' }) });
    assert.ok(!r.ok);
    assert.deepEqual(r.problems.map((p) => [p.code, p.line, p.column, p.path, p.message]), [
      ['invalid_value', 4, 16, 'jobs.train.component.code', "registered component train:7 names the local code path './src'; registered code must be a datastore or asset URI"],
    ]);
  });

  it('locates problems inside a registered component at the reference', async () => {
    const r = await load({ 'p.yml': USES_REGISTERED }, { resolve: async () => ({ ...TRAIN, command: 'python t.py ${{inputs.nope}}' }) });
    assert.ok(!r.ok);
    assert.deepEqual(r.problems.map((p) => [p.code, p.file, p.line, p.column, p.path]), [['unknown_input', 'p.yml', 4, 16, 'jobs.train.component.command']]);
  });
});

describe('nested pipeline components', () => {
  const files = {
    'p.yml': `type: pipeline
settings:
  default_compute: azureml:cpu
inputs:
  raw:
    type: uri_folder
    path: azureml://datastores/blobs/paths/raw/
jobs:
  prep:
    type: pipeline
    component: ./sub/prep.yml
    inputs:
      source: \${{parent.inputs.raw}}
  use:
    command: cat \${{inputs.x}}
    environment: azureml:env:1
    compute: azureml:gpu
    inputs:
      x: \${{parent.jobs.prep.outputs.cleaned}}
`,
    'sub/prep.yml': `$schema: https://azuremlschemas.azureedge.net/latest/pipelineComponent.schema.json
type: pipeline
name: prep
inputs:
  source:
    type: uri_folder
outputs:
  cleaned:
    type: uri_folder
jobs:
  clean:
    component: ./clean.yml
    inputs:
      in_data: \${{parent.inputs.source}}
    outputs:
      out_data: \${{parent.outputs.cleaned}}
`,
    'sub/clean.yml': `type: command
name: clean
inputs:
  in_data:
    type: uri_folder
outputs:
  out_data:
    type: uri_folder
code: ./src
environment:
  image: python:3.11
command: python clean.py \${{inputs.in_data}} \${{outputs.out_data}}
`,
    'sub/src/clean.py': 'print(1)\n',
  };

  it('builds a sub-plan in a pipeline step, with paths relative to the root', async () => {
    const plan = planOf(await load(files));
    assert.deepEqual(plan.steps.map((s) => [s.name, s.kind, s.dependsOn]), [['prep', 'pipeline', []], ['use', 'command', ['prep']]]);
    const prep = plan.steps[0] as PipelineStep;
    assert.deepEqual(prep.inputs.source!.binding, { kind: 'parent_input', input: 'raw' });
    assert.equal(prep.pipeline.sourceKind, 'pipeline_component');
    assert.equal(prep.pipeline.file, 'sub/prep.yml');
    assert.deepEqual(prep.outputs.cleaned, { type: 'uri_folder', mode: 'rw_mount', bindsTo: [] });
    const clean = prep.pipeline.steps[0] as CommandStep;
    assert.equal(clean.compute, 'cpu', 'inherits the default compute');
    assert.deepEqual(clean.component.code, { kind: 'local', path: 'sub/src' });
    assert.deepEqual(clean.outputs.out_data!.bindsTo, ['cleaned']);
    assert.equal((plan.steps[1] as CommandStep).compute, 'gpu');
    assert.deepEqual(plan.localPaths, ['p.yml', 'sub/clean.yml', 'sub/prep.yml', 'sub/src']);
    assert.match(prep.pipeline.contentHash, /^[0-9a-f]{64}$/);
  });

  it('also loads the pipeline component file on its own', async () => {
    const r = await loadPlanFromSource(openBundle(bundleOf(files, 'sub/prep.yml')), 'sub/prep.yml');
    const plan = planOf(r);
    assert.equal(plan.sourceKind, 'pipeline_component');
    assert.deepEqual(plan.inputs.source, { type: 'uri_folder', optional: false });
  });
});

describe('single command jobs', () => {
  it('is a one-step plan whose inputs and outputs are the job\'s', async () => {
    const plan = planOf(
      await load({
        'p.yml': `$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json
command: python score.py --n \${{inputs.n}} --data \${{inputs.data}} $[[--tag \${{inputs.tag}}]] --out \${{outputs.scores}}
code: ./src
environment: azureml:env:3
compute: azureml:cpu
experiment_name: scoring
environment_variables:
  MODE: fast
inputs:
  n: 5
  data:
    type: uri_file
    path: https://example.com/data.csv
  tag:
    type: string
    optional: true
outputs:
  scores:
    type: uri_folder
    name: scores
limits:
  timeout: 600
`,
        'src/score.py': 'print(1)\n',
      }),
    );
    assert.equal(plan.sourceKind, 'command');
    assert.equal(plan.experimentName, 'scoring');
    assert.deepEqual(plan.inputs.n, { type: 'integer', optional: false, value: 5 });
    assert.deepEqual(plan.outputs.scores, { type: 'uri_folder', register: { name: 'scores' } });
    assert.equal(plan.steps.length, 1);
    const s = plan.steps[0] as CommandStep;
    assert.equal(s.name, 'main');
    assert.equal(s.compute, 'cpu');
    assert.equal(s.timeoutSeconds, 600);
    assert.deepEqual(s.environmentVariables, { MODE: 'fast' });
    assert.deepEqual(s.inputs.n!.binding, { kind: 'parent_input', input: 'n' });
    assert.deepEqual(s.inputs.tag!.binding, { kind: 'none' });
    assert.equal(s.inputs.tag!.optional, true);
    assert.deepEqual(s.outputs.scores, { type: 'uri_folder', mode: 'rw_mount', bindsTo: ['scores'] });
    assert.deepEqual(s.component.code, { kind: 'local', path: 'src' });
  });
});

describe('collection, hashing and YAML 1.1', () => {
  it('collects every problem instead of stopping at the first', async () => {
    const r = await load({
      'p.yml': `type: pipeline
jobs:
  a:
    type: sweep
  b:
    command: echo \${{inputs.x}}
    environment: azureml:env:1
    colour: blue
    inputs:
      x: \${{parent.jobs.zz.outputs.o}}
  c:
    type: command
    component: ./missing.yml
`,
    });
    assert.ok(!r.ok);
    assert.deepEqual(r.problems.map((p) => [p.line, p.column, p.code]), [
      [4, 11, 'unsupported_job_type'],
      [8, 5, 'unknown_key'],
      [10, 10, 'unknown_step'],
      [13, 16, 'missing_path'],
    ]);
  });

  it('hashes the definition, not its layout', async () => {
    const a = `type: pipeline\njobs:\n  a:\n    command: echo hi\n    environment: azureml:env:1\n`;
    const b = `# a comment\ntype: pipeline\n\njobs:\n  a: {environment: "azureml:env:1", command: echo hi}\n`;
    const c = a.replace('echo hi', 'echo bye');
    const [ha, hb, hc] = await Promise.all([a, b, c].map(async (text) => planOf(await load({ 'p.yml': text })).contentHash));
    assert.equal(ha, hb);
    assert.notEqual(ha, hc);
  });

  it('reads YAML 1.1 scalars the way az ml does', async () => {
    const plan = planOf(
      await load({
        'p.yml': `type: pipeline
settings:
  force_rerun: yes
  continue_on_step_failure: on
jobs:
  a:
    command: echo \${{inputs.n}} \${{inputs.y}}
    environment: azureml:env:1
    inputs:
      n: 010
      y: no
`,
      }),
    );
    assert.equal(plan.settings.forceRerun, true);
    assert.equal(plan.settings.continueOnStepFailure, true);
    const s = plan.steps[0] as CommandStep;
    assert.deepEqual(Object.keys(s.inputs), ['n', 'y'], 'keys n and y stay strings');
    assert.deepEqual(s.inputs.n!.binding, { kind: 'literal', value: 8 }, '010 is octal');
    assert.deepEqual(s.inputs.y!.binding, { kind: 'literal', value: false });
  });

  it('resolves anchors, aliases and merge keys', async () => {
    const plan = planOf(
      await load({
        'p.yml': `type: pipeline
jobs:
  a: &step
    command: echo a
    environment: &env azureml:env:1
    compute: azureml:cpu
  b:
    <<: *step
    command: echo b
  c:
    command: echo c
    environment: *env
`,
      }),
    );
    const [a, b, c] = plan.steps as CommandStep[];
    assert.deepEqual([a!.component.command, b!.component.command, c!.component.command], ['echo a', 'echo b', 'echo c']);
    assert.deepEqual([a!.compute, b!.compute, c!.compute], ['cpu', 'cpu', 'local']);
    assert.deepEqual(c!.component.environment, { kind: 'registered', name: 'env', version: '1' });
  });

  it('gives steps without an environment the default_environment setting', async () => {
    const plan = planOf(
      await load({
        'p.yml': `type: pipeline
settings:
  default_environment:
    image: python:3.11
jobs:
  a:
    command: echo a
`,
      }),
    );
    assert.deepEqual((plan.steps[0] as CommandStep).component.environment, { kind: 'inline', image: 'python:3.11' });
    assert.deepEqual(plan.settings.defaultEnvironment, { kind: 'inline', image: 'python:3.11' });
  });

  it('checks pipeline literals by value: a quoted number suits an integer input', async () => {
    const plan = planOf(
      await load({
        'p.yml': `type: pipeline
inputs:
  n: "3"
jobs:
  a:
    component: ./c.yml
    inputs:
      n: \${{parent.inputs.n}}
`,
        'c.yml': `type: command
inputs:
  n:
    type: integer
environment: azureml:env:1
command: echo \${{inputs.n}}
`,
      }),
    );
    assert.deepEqual((plan.steps[0] as CommandStep).inputs.n!.binding, { kind: 'parent_input', input: 'n' });
  });

  it('accepts optional blocks that reference optional inputs', async () => {
    const plan = planOf(
      await load({
        'p.yml': `type: pipeline
jobs:
  a:
    component: ./c.yml
`,
        'c.yml': `type: command
inputs:
  flag:
    type: boolean
    optional: true
  level:
    type: integer
    default: 2
environment: azureml:env:1
command: run --level \${{inputs.level}} $[[--flag \${{inputs.flag}}]]
`,
      }),
    );
    const s = plan.steps[0] as CommandStep;
    assert.deepEqual(s.inputs.flag!.binding, { kind: 'none' });
    assert.deepEqual(s.inputs.level!.binding, { kind: 'literal', value: 2 });
  });
});

describe('loadPlanFromFile', () => {
  const scratches: Scratch[] = [];
  after(async () => {
    await Promise.all(scratches.map((s) => s.dispose()));
  });

  it('roots the plan at the common folder of everything it names', async () => {
    const s = await scratch();
    scratches.push(s);
    await s.write({
      'pipelines/p.yml': 'type: pipeline\njobs:\n  a:\n    component: ../components/c.yml\n',
      'components/c.yml': 'type: command\ncode: ../code/a\nenvironment: azureml:env:1\ncommand: python a.py\n',
      'code/a/a.py': 'print(1)\n',
    });
    const { root, result } = await loadPlanFromFile(s.at('pipelines/p.yml'));
    assert.equal(root, s.dir);
    const plan = planOf(result);
    assert.equal(plan.file, 'pipelines/p.yml');
    assert.deepEqual(plan.localPaths, ['code/a', 'components/c.yml', 'pipelines/p.yml']);
    assert.deepEqual((plan.steps[0] as CommandStep).component.source, { kind: 'file', file: 'components/c.yml' });
  });

  it('reports a missing entry file', async () => {
    const s = await scratch();
    scratches.push(s);
    const { result } = await loadPlanFromFile(s.at('nope.yml'));
    assert.ok(!result.ok);
    assert.deepEqual(result.problems.map((p) => [p.code, p.file, p.line, p.column]), [['missing_path', 'nope.yml', 1, 1]]);
  });
});
