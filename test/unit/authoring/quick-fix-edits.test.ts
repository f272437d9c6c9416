import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { declarePipelineInput, fixedSize, quickFixesFor } from '../../../src/vscode/authoring/quick-fix-edits';

const SPEC = `type: pipeline\ninputs:\n  digit_images:\n    type: uri_folder\n    path: ./data/images\njobs:\n  digits:\n    type: parallel\n`;

test('an unknown key with a suggestion is renamed to it', () => {
  const fixes = quickFixesFor(
    {
      rule: 'unknown-key',
      message: 'Unknown key "mini_batch_sise" in parallel node "digits". Did you mean "mini_batch_size"?',
      rangeText: 'mini_batch_sise',
    },
    SPEC,
  );
  assert.deepEqual(fixes, [{ kind: 'replace', title: 'Rename to "mini_batch_size"', newText: 'mini_batch_size', preferred: true }]);
});

test('an unknown key without a suggestion has no fix', () => {
  assert.deepEqual(
    quickFixesFor({ rule: 'unknown-key', message: 'Unknown key "zzz" in parallel node "digits".', rangeText: 'zzz' }, SPEC),
    [],
  );
});

test('a size with a space, or upper-case units, is rewritten', () => {
  assert.equal(fixedSize('"10 kb"'), '"10kb"');
  assert.equal(fixedSize("'5 MB'"), "'5mb'");
  assert.equal(fixedSize('10 files'), '10');
  assert.equal(fixedSize('"10 kb"', true), undefined);
  assert.equal(fixedSize('ten'), undefined);
  const [fix] = quickFixesFor({ rule: 'size-string', message: 'mini_batch_size "10 kb" is not a size', rangeText: '"10 kb"' }, SPEC);
  assert.deepEqual(fix, { kind: 'replace', title: 'Write "10kb"', newText: '"10kb"', preferred: true });
  // A files input counts files: a byte size is never the fix there.
  const filesMessage =
    'mini_batch_size "10 kb" is not a size: digits, optionally followed by kb, mb or gb.\nFix: Write a number of files, e.g. "mini_batch_size: "10"".';
  assert.deepEqual(quickFixesFor({ rule: 'size-string', message: filesMessage, rangeText: '"10 kb"' }, SPEC), []);
  assert.deepEqual(quickFixesFor({ rule: 'size-string', message: filesMessage, rangeText: '"10 files"' }, SPEC)[0], {
    kind: 'replace',
    title: 'Write "10"',
    newText: '"10"',
    preferred: true,
  });
});

test('a missing entry script can be created from the template, or replaced by the close one', () => {
  const fixes = quickFixesFor(
    {
      rule: 'entry-script-missing',
      message: 'Entry script digit.py not found: looked for /w/src/digit.py. Did you mean "digits.py"?',
      rangeText: 'digit.py',
    },
    SPEC,
  );
  assert.deepEqual(fixes, [
    { kind: 'replace', title: 'Use "digits.py"', newText: 'digits.py', preferred: true },
    { kind: 'createEntryScript', title: 'Create digit.py from the entry-script template', file: '/w/src/digit.py', tabular: false },
  ]);
});

test('a binding to a missing pipeline input: bind the close one, or declare it', () => {
  const message =
    'Input "images" binds ${{parent.inputs.digit_imagez}}, but the pipeline has no input "digit_imagez". Did you mean "digit_images"?';
  const fixes = quickFixesFor({ rule: 'unknown-binding', message, rangeText: '${{parent.inputs.digit_imagez}}' }, SPEC);
  assert.deepEqual(fixes[0], {
    kind: 'replace',
    title: 'Bind "digit_images"',
    newText: '${{parent.inputs.digit_images}}',
    preferred: true,
  });
  assert.deepEqual(fixes[1], {
    kind: 'insert',
    title: 'Declare "digit_imagez" under the pipeline\'s inputs',
    line: 2,
    text: '  digit_imagez:\n    type: uri_folder\n    path: ./digit_imagez\n',
  });
});

test('a pipeline without inputs gets an inputs section before its jobs', () => {
  assert.deepEqual(declarePipelineInput('type: pipeline\njobs:\n  a: {}\n', 'data'), {
    line: 1,
    text: 'inputs:\n  data:\n    type: uri_folder\n    path: ./data\n\n',
  });
});
