/** Table of rejected documents: each yields exactly one problem at the expected place, for the expected reason. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadPlanFromFile } from '../../../shared/spec/load';
import { scratch, type Scratch } from '../../_helpers/spec/workspace';
import { negativeCases } from './negative-cases';

describe('rejected documents', () => {
  const scratches: Scratch[] = [];
  after(async () => {
    await Promise.all(scratches.map((s) => s.dispose()));
  });

  it('has at least 40 cases with distinct names', () => {
    assert.ok(negativeCases.length >= 40, `${negativeCases.length} cases`);
    assert.equal(new Set(negativeCases.map((c) => c.name)).size, negativeCases.length);
  });

  for (const c of negativeCases) {
    it(c.name, async () => {
      const s = await scratch();
      scratches.push(s);
      await s.write({ ...c.files, 'p.yml': c.yaml });
      const { result } = await loadPlanFromFile(s.at('p.yml'));
      assert.equal(result.ok, false, 'document must be rejected');
      assert.ok(!result.ok);
      const problems = result.problems.map(({ target: _target, ...p }) => p);
      assert.deepEqual(problems, [{ file: 'p.yml', ...c.expect }]);
    });
  }
});
