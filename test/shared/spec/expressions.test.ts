import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanTemplate, wholeBinding } from '../../../shared/spec/expressions';

describe('binding expressions', () => {
  it('recognises the bindings of pipeline YAML', () => {
    assert.deepEqual(wholeBinding('${{parent.inputs.lr}}'), { kind: 'parent_input', input: 'lr' });
    assert.deepEqual(wholeBinding(' ${{ parent.outputs.final }} '), { kind: 'parent_output', output: 'final' });
    assert.deepEqual(wholeBinding('${{parent.jobs.train.outputs.model}}'), { kind: 'step_output', step: 'train', output: 'model' });
    assert.deepEqual(wholeBinding('${{inputs.x}}'), { kind: 'inputs', input: 'x' });
    assert.deepEqual(wholeBinding('${{outputs.y}}'), { kind: 'outputs', output: 'y' });
    assert.deepEqual(wholeBinding('${{name}}'), { kind: 'other', text: 'name' });
    assert.equal(wholeBinding('prefix ${{inputs.x}}'), undefined);
  });

  it('scans commands, noting optional blocks', () => {
    const scan = scanTemplate('run ${{inputs.a}} $[[--b ${{inputs.b}} --c ${{inputs.c}}]] > ${{outputs.o}}');
    assert.equal(scan.blocks, 1);
    assert.deepEqual(scan.errors, []);
    assert.deepEqual(
      scan.refs.map((r) => [r.expr.kind === 'inputs' ? r.expr.input : r.expr.kind === 'outputs' ? r.expr.output : '', r.optionalBlock]),
      [['a', false], ['b', true], ['c', true], ['o', false]],
    );
    assert.deepEqual(scanTemplate('echo ${{inputs.a').errors, ["unclosed '${{' at offset 5"]);
    assert.deepEqual(scanTemplate('echo $[[ ${{inputs.a}}').errors, ["unclosed '$[[' optional block"]);
  });
});
