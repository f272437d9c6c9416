/** A command step's failure read from its output: the exception line and the user's deepest frame. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { commandFailure } from '../../../src/core/runs/command-failure';

const traceback = [
  'step 1 of 2',
  'Traceback (most recent call last):',
  '  File "/w/src/summarize.py", line 30, in <module>',
  '    main(sys.argv[1:])',
  '  File "/w/src/summarize.py", line 21, in main',
  '    frame = pd.read_csv(path)',
  '  File "/usr/lib/python3/dist-packages/pandas/io/parsers/readers.py", line 912, in read_csv',
  '    return _read(filepath_or_buffer, kwds)',
  'pandas.errors.EmptyDataError: No columns to parse from file',
].join('\n');

test('the last exception line and the deepest frame outside the library', () => {
  assert.deepEqual(commandFailure(traceback), {
    error: 'pandas.errors.EmptyDataError: No columns to parse from file',
    frame: { file: '/w/src/summarize.py', line: 21, function: 'main' },
  });
});

test('with the code folder known, its deepest frame is the user line', () => {
  const found = commandFailure(traceback.replace('/usr/lib/python3/dist-packages/pandas', '/w/venv/pandas'), '/w/src');
  assert.equal(found.frame?.line, 21);
});

test('the last traceback counts when there are several (a chained exception)', () => {
  const chained = `${traceback}\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File "/w/src/summarize.py", line 33, in <module>\n    raise SystemError("cannot summarize")\nSystemError: cannot summarize\n`;
  assert.deepEqual(commandFailure(chained), {
    error: 'SystemError: cannot summarize',
    frame: { file: '/w/src/summarize.py', line: 33, function: '<module>' },
  });
});

test('no traceback: the last line it printed', () => {
  assert.deepEqual(commandFailure("copying\ncp: cannot stat 'x': No such file or directory\n\n"), {
    error: "cp: cannot stat 'x': No such file or directory",
  });
  assert.deepEqual(commandFailure(''), {});
});
