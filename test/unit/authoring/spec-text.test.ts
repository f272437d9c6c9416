/** Which YAML documents get diagnostics, and core/spec locations as editor ranges. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { checkSpecText } from '../../../src/core/spec';
import { diagnosticMessage, isParallelSpecText, zeroBasedRange } from '../../../src/vscode/authoring/spec-text';

test('only YAML with a type: parallel line is a parallel spec', () => {
  assert.ok(isParallelSpecText('jobs:\n  a:\n    type: parallel\n'));
  assert.ok(isParallelSpecText("type: 'parallel' # a component\n"));
  assert.ok(isParallelSpecText('jobs:\n  - type: "parallel"\n'));
  assert.ok(!isParallelSpecText('type: command\ndescription: not parallel\n'));
  assert.ok(!isParallelSpecText('# type: parallel\n'));
  assert.ok(!isParallelSpecText('node_type: parallel\n'));
  assert.ok(!isParallelSpecText('type: parallel_thing\n'));
});

test('1-based locations become 0-based ranges, and an inverted one collapses to its start', () => {
  assert.deepEqual(zeroBasedRange({ file: 'x', line: 3, column: 5, endLine: 3, endColumn: 9 }), {
    startLine: 2,
    startCharacter: 4,
    endLine: 2,
    endCharacter: 8,
  });
  assert.deepEqual(zeroBasedRange({ file: 'x', line: 1, column: 1, endLine: 1, endColumn: 1 }), {
    startLine: 0,
    startCharacter: 0,
    endLine: 0,
    endCharacter: 0,
  });
  assert.deepEqual(zeroBasedRange({ file: 'x', line: 4, column: 7, endLine: 2, endColumn: 1 }), {
    startLine: 3,
    startCharacter: 6,
    endLine: 3,
    endCharacter: 6,
  });
});

test('a finding in the digits spec points at the exact characters of the bad value', () => {
  const file = path.resolve(__dirname, '../../../../samples/digits/pipeline.yml');
  const text = readFileSync(file, 'utf8').replace('max_concurrency_per_instance: 2', 'max_concurrency_per_instance: two');
  const d = checkSpecText(text, file).diagnostics.find((x) => x.severity === 'error')!;
  const r = zeroBasedRange(d.location);
  const line = text.split('\n')[r.startLine];
  assert.equal(line.slice(r.startCharacter, r.endCharacter), 'two');
  assert.match(diagnosticMessage(d), /\nFix: /);
});
