import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { findSpecsForEntryScript } from '../../../src/core/workspace/find-spec';
import { writeTree } from '../spec/fixture';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const script = 'def run(mini_batch):\n    return mini_batch\n';

test('finds the digits pipeline one folder above its entry script', async () => {
  const digits = path.join(root, 'samples', 'digits');
  assert.deepEqual(await findSpecsForEntryScript(path.join(digits, 'src', 'digit_identification.py'), root), [
    { specFile: path.join(digits, 'pipeline.yml'), nodeName: 'digit_identification' },
  ]);
});

test('takes the nearest folder that names the script, not a spec elsewhere that names another one', async () => {
  const dir = writeTree({
    'pipeline.yml': 'type: pipeline\njobs:\n  outer:\n    type: parallel\n    task:\n      code: ./app/src\n      entry_script: score.py\n',
    'app/other.yml': 'type: pipeline\njobs:\n  other:\n    type: parallel\n    task:\n      code: ./src\n      entry_script: other.py\n',
    'app/src/score.py': script,
  });
  assert.deepEqual(await findSpecsForEntryScript(path.join(dir, 'app/src/score.py'), dir), [
    { specFile: path.join(dir, 'pipeline.yml'), nodeName: 'outer' },
  ]);
});

test('reads entry_script as the driver does (module path), a standalone component and a component reference', async () => {
  const dir = writeTree({
    'batch/main.py': script,
    'standalone.yml': 'name: batch_main\ntype: parallel\ntask:\n  entry_script: batch.main\n',
    'pipe.yaml': 'type: pipeline\njobs:\n  via_component:\n    component: ./standalone.yml\n',
  });
  assert.deepEqual(await findSpecsForEntryScript(path.join(dir, 'batch/main.py'), dir), [
    { specFile: path.join(dir, 'pipe.yaml'), nodeName: 'via_component' },
    { specFile: path.join(dir, 'standalone.yml'), nodeName: 'batch_main' },
  ]);
});

test('stops at the workspace folder and ignores broken YAML', async () => {
  const dir = writeTree({
    'pipeline.yml': 'type: pipeline\njobs:\n  n:\n    type: parallel\n    task:\n      code: ./ws/src\n      entry_script: score.py\n',
    'ws/broken.yml': 'type: parallel\n  task: [\n',
    'ws/src/score.py': script,
  });
  assert.deepEqual(await findSpecsForEntryScript(path.join(dir, 'ws/src/score.py'), path.join(dir, 'ws')), []);
  assert.equal((await findSpecsForEntryScript(path.join(dir, 'ws/src/score.py'), dir)).length, 1);
});
