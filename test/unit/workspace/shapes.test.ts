import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { entryScriptRunLine, parallelNodeLines } from '../../../src/core/workspace';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const lines = (...l: string[]) => l.join('\n') + '\n';

test('finds the module-level run(mini_batch) of the digits sample', () => {
  const text = fs.readFileSync(path.join(root, 'samples/digits/src/digit_identification.py'), 'utf8');
  const line = entryScriptRunLine(text);
  assert.ok(line !== undefined);
  assert.match(text.split('\n')[line], /^def run\(mini_batch\):/);
});

test('accepts run(mini_batch, mini_batch_context), annotations and a signature over several lines', () => {
  assert.equal(entryScriptRunLine(lines('import os', 'def run(mini_batch, mini_batch_context):', '    pass')), 1);
  assert.equal(entryScriptRunLine(lines('def run(mini_batch: list[str]) -> list[str]:', '    pass')), 0);
  assert.equal(
    entryScriptRunLine(lines('x = 1', '', 'def run(', '    mini_batch: pd.DataFrame,', '    context=None,', '):', '    pass')),
    2,
  );
});

test('ignores methods, *args and functions with three parameters or another name', () => {
  assert.equal(entryScriptRunLine(lines('class A:', '    def run(self, mini_batch):', '        pass')), undefined);
  assert.equal(entryScriptRunLine(lines('def run(*args):', '    pass')), undefined);
  assert.equal(entryScriptRunLine(lines('def run(a, b, c):', '    pass')), undefined);
  assert.equal(entryScriptRunLine(lines('def runner(mini_batch):', '    pass')), undefined);
  assert.equal(entryScriptRunLine(lines('def run():', '    pass')), undefined);
});

test('puts the lens of a pipeline node on its key under jobs:', () => {
  const text = fs.readFileSync(path.join(root, 'samples/digits/pipeline.yml'), 'utf8');
  const found = parallelNodeLines(text);
  assert.equal(found.length, 1);
  assert.equal(found[0].nodeName, 'digit_identification');
  assert.match(text.split('\n')[found[0].line], /^ {2}digit_identification:$/);
});

test('a standalone parallel component is one node on its type line; other YAML has none', () => {
  assert.deepEqual(parallelNodeLines(lines('name: score', 'type: parallel', 'task:', '  entry_script: score.py')), [{ line: 1 }]);
  assert.deepEqual(
    parallelNodeLines(lines('jobs:', '  train:', '    type: command', '    inputs:', '      data:', '        type: uri_folder')),
    [],
  );
  assert.deepEqual(parallelNodeLines(lines('on: push', 'jobs:', '  build:', '    runs-on: ubuntu-latest')), []);
});

test('finds every parallel node of a pipeline, quoted or commented', () => {
  const text = lines(
    'type: pipeline',
    'jobs:',
    '  first:',
    '    # a comment',
    '    type: "parallel"  # yes',
    '  prep:',
    '    type: command',
    '  second:',
    '    inputs:',
    '      x: 1',
    '    type: parallel',
  );
  assert.deepEqual(parallelNodeLines(text), [
    { line: 2, nodeName: 'first' },
    { line: 7, nodeName: 'second' },
  ]);
});
