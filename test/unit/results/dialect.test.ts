import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dialectFromToCsv, readRunOutputFormat, DEFAULT_DIALECT } from '../../../src/core/local/results';

test("the driver's defaults: space separated, double quotes, no header", () => {
  assert.deepEqual(dialectFromToCsv({ sep: ' ', header: false, index: false }), { sep: ' ', quoteChar: '"', header: false });
});

test('takes sep, quotechar and header from the settings file, and quoting=QUOTE_NONE turns quotes off', () => {
  assert.deepEqual(dialectFromToCsv({ sep: ',', quotechar: "'", header: true }), { sep: ',', quoteChar: "'", header: true });
  assert.equal(dialectFromToCsv({ quoting: 3 }).quoteChar, null);
});

test('dataframe_header means a header line', () => {
  assert.equal(dialectFromToCsv({}, true).header, true);
});

test("reads the run's worker config, and falls back to the defaults without one", async () => {
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'prs-dialect-'));
  assert.deepEqual(await readRunOutputFormat(runDir), { dialect: DEFAULT_DIALECT });
  mkdirSync(path.join(runDir, '.prs'));
  const config = { append_row: { to_csv: { sep: '|', header: false, index: false } }, input_kind: 'tabular' };
  writeFileSync(path.join(runDir, '.prs', 'worker-config.json'), JSON.stringify(config));
  assert.deepEqual(await readRunOutputFormat(runDir), { dialect: { sep: '|', quoteChar: '"', header: false }, inputKind: 'tabular' });
});
