import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { bindCommand } from '../../../src/core/pipeline/command-line';
import { dependantsOf, runOrder } from '../../../src/core/pipeline/graph';

test('inputs and outputs in a command become their values and paths, as text', () => {
  const bound = bindCommand(
    'python prep.py --data ${{inputs.data}} --k ${{ inputs.k }} --out ${{outputs.prepared}}',
    { data: '/d/in.csv', k: '3' },
    { prepared: '/run/prep/outputs/prepared' },
  );
  assert.equal(bound, 'python prep.py --data /d/in.csv --k 3 --out /run/prep/outputs/prepared');
});

test('a $[[…]] part is dropped when its optional input has no value, and unwrapped when it has one', () => {
  const command = 'python train.py $[[--epochs ${{inputs.epochs}}]] $[[--lr ${{inputs.lr}}]] --out ${{outputs.model}}';
  assert.equal(bindCommand(command, { epochs: '5', lr: undefined }, { model: '/m' }), 'python train.py --epochs 5  --out /m');
  assert.equal(bindCommand(command, { epochs: undefined, lr: undefined }, { model: '/m' }), 'python train.py   --out /m');
});

test('a binding to a port the node does not have stays as written, so the gap shows in the log', () => {
  assert.equal(bindCommand('echo ${{inputs.nope}} ${{outputs.nope}}', {}, {}), 'echo ${{inputs.nope}} ${{outputs.nope}}');
});

test('steps run after the steps they read from, otherwise in file order', () => {
  const nodes = [
    { name: 'report', type: 'command' as const, needs: ['score'] },
    { name: 'score', type: 'parallel' as const, needs: ['prep'] },
    { name: 'other', type: 'command' as const, needs: [] },
    { name: 'prep', type: 'command' as const, needs: [] },
  ];
  assert.deepEqual(runOrder(nodes), ['other', 'prep', 'score', 'report']);
  assert.deepEqual(dependantsOf(nodes, 'prep'), ['report', 'score']);
  assert.deepEqual(dependantsOf(nodes, 'other'), []);
});

test('a circle of steps is refused rather than looped on', () => {
  assert.throws(
    () =>
      runOrder([
        { name: 'a', type: 'command', needs: ['b'] },
        { name: 'b', type: 'command', needs: ['a'] },
      ]),
    /circle: a, b/,
  );
});
