import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { FIELD_DOCS, checkSpecText, fieldDocFor } from '../../../src/core/spec';
import { TUTORIAL_FILES, TUTORIAL_PIPELINE, writeTree } from './fixture';

const GARBAGE = [
  '',
  '\u0000\u0001\u0002',
  '[',
  '{{{{',
  '- - -',
  '42',
  'null',
  '"just a string"',
  'type: pipeline\njobs: 5',
  'type: pipeline\njobs:\n  a: 5\n  b: [1]',
  'type: pipeline\njobs:\n  a:\n    type: parallel\n    component: 5',
  'type: pipeline\njobs:\n  a:\n    type: parallel\n    inputs: [1, 2]\n    outputs: 3\n    task: []\n    input_data: [x]',
  'type: parallel\ninputs:\n  x: &a [*a]\n',
  'a: &x\n  b: *x\n',
  'type: parallel\n<<: {mini_batch_size: 3}\ninput_data: ${{inputs.q}}',
  'type: pipeline\ninputs:\n  d: {type: mltable, path: ${{parent.inputs.d}}}\n',
  'type: pipeline\njobs:\n  x:\n    type: parallel\n    task:\n      program_arguments: "--a \'unclosed $[[ ${{inputs.zz}} ]]"\n      entry_script: {a: 1}',
  '\t\ttype: pipeline',
  'key: "unterminated',
];

test('checkSpecText never throws and never fails inside on garbage', () => {
  const dir = writeTree({});
  for (const text of GARBAGE) {
    const result = checkSpecText(text, path.join(dir, 'x.yml'));
    assert.ok(Array.isArray(result.diagnostics), JSON.stringify(text));
    assert.ok(result.diagnostics.length > 0, `no diagnostic for ${JSON.stringify(text)}`);
    assert.deepEqual(
      result.diagnostics.filter((d) => d.rule === 'internal'),
      [],
      JSON.stringify(text),
    );
    for (const d of result.diagnostics) assert.ok(d.location.line >= 1 && d.location.column >= 1);
  }
  assert.doesNotThrow(() => checkSpecText(undefined as unknown as string, 'x.yml'));
});

test('every prefix of a valid spec (an editor mid-typing) reads without an internal error', () => {
  const dir = writeTree(TUTORIAL_FILES);
  const file = path.join(dir, 'pipeline.yml');
  for (let end = 0; end <= TUTORIAL_PIPELINE.length; end += 7) {
    const result = checkSpecText(TUTORIAL_PIPELINE.slice(0, end), file);
    assert.deepEqual(
      result.diagnostics.filter((d) => d.rule === 'internal'),
      [],
      `prefix ${end}`,
    );
  }
});

test('FIELD_DOCS documents fields with type, default and v1 name for hovers', () => {
  assert.deepEqual(
    { v1: FIELD_DOCS['retry_settings.timeout'].v1, default: FIELD_DOCS['retry_settings.timeout'].default },
    { v1: 'run_invocation_timeout', default: '60' },
  );
  assert.equal(FIELD_DOCS['max_concurrency_per_instance'].v1, 'process_count_per_node');
  assert.equal(FIELD_DOCS['mini_batch_error_threshold'].v1, 'allowed_failed_count');
  assert.equal(fieldDocFor(['jobs', 'score', 'resources', 'instance_count'], 'pipeline')?.v1, 'node_count');
  assert.equal(fieldDocFor(['mini_batch_size'], 'parallel')?.default, 'files: 10; tabular: 1MB');
  assert.equal(fieldDocFor(['settings', 'default_compute'], 'pipeline')?.type, 'string');
});

test('an alias bomb is refused quickly instead of expanded', () => {
  const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 9; i++)
    levels.push(
      `l${i}: &l${i} [${Array(10)
        .fill(i === 1 ? '*a' : `*l${i - 1}`)
        .join(', ')}]`,
    );
  const started = Date.now();
  const { diagnostics } = checkSpecText(levels.join('\n') + '\n', '/tmp/bomb.yml');
  assert.ok(Date.now() - started < 2000);
  assert.deepEqual(
    diagnostics.map((d) => d.rule),
    ['yaml-syntax'],
  );
  assert.match(diagnostics[0].message, /aliases expand/);
});
