// Comparing a cloud job's append_row output with a local run's: rows matched by key whatever their order, the
// cloud's paths reduced to file names, and each kind of difference counted and listed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_DIALECT } from '../../../src/core/local/results/dialect';
import {
  compareResults,
  comparisonText,
  comparisonMarkdown,
  sameResults,
  splitListRow,
  type ResultsSource,
} from '../../../src/core/runs/compare';

function file(text: string): string {
  const f = path.join(mkdtempSync(path.join(os.tmpdir(), 'prs-compare-')), 'out.txt');
  writeFileSync(f, text);
  return f;
}
const lines = (label: string, text: string, extra: Partial<ResultsSource> = {}): ResultsSource => ({
  label,
  file: file(text),
  dialect: { ...DEFAULT_DIALECT },
  ...extra,
});
const digits = (n: number, at = '') => Array.from({ length: n }, (_, i) => `${at}${i}.png: ${i % 10}`);

test('the same rows in another order are equal', async () => {
  const cloud = lines('cloud job j1', digits(12).reverse().join('\n') + '\n');
  const local = lines('local run r1', digits(12).join('\n') + '\n');
  const c = await compareResults(cloud, local);
  assert.deepEqual(c.counts, { matched: 12, equal: 12, differing: 0, onlyLeft: 0, onlyRight: 0, outsideSample: 0, duplicateKeys: 0 });
  assert.ok(sameResults(c));
  assert.match(
    comparisonText(c),
    /^12 rows in cloud job j1, 12 in local run r1: 12 equal, 0 differ, 0 only in cloud job j1, 0 only in local run r1\./,
  );
});

test('one row that differs is listed with its key and both values', async () => {
  const cloudRows = digits(5);
  cloudRows[3] = '3.png: 8';
  const c = await compareResults(lines('cloud job j1', cloudRows.join('\n')), lines('local run r1', digits(5).join('\n')));
  assert.equal(c.counts.differing, 1);
  assert.equal(c.counts.equal, 4);
  assert.deepEqual(c.differing, [{ key: '3.png', columns: ['value'], left: ['3.png', '8'], right: ['3.png', '3'] }]);
  assert.ok(!sameResults(c));
  assert.match(comparisonText(c), /3\.png:\n\s+value: "8" \(cloud job j1\) vs "3" \(local run r1\)/);
  assert.match(comparisonMarkdown(c), /\| 3\.png \| value \| 8 \| 3 \|/);
});

test('rows missing on either side are counted and named', async () => {
  const c = await compareResults(lines('cloud', digits(4).slice(1).join('\n')), lines('local', digits(3).join('\n')));
  assert.deepEqual(
    c.onlyLeft.map((r) => r.key),
    ['3.png'],
  );
  assert.deepEqual(
    c.onlyRight.map((r) => r.key),
    ['0.png'],
  );
  assert.equal(c.counts.matched, 2);
});

test("the cloud's absolute paths match the local run's: keys are file names", async () => {
  const cloud = lines(
    'cloud',
    digits(3)
      .map((r) => r.replace(/^(\d)\.png:/, '/mnt/azureml/cr/j/wd/input/$1.png'))
      .join('\n'),
  );
  const local = lines(
    'local',
    digits(3)
      .map((r) => r.replace(/^(\d)\.png:/, '/home/me/data/$1.png'))
      .join('\n'),
  );
  const c = await compareResults(cloud, local);
  assert.equal(c.counts.equal, 3);
  assert.deepEqual(splitListRow('/mnt/x/7.png 7'), ['7.png', '7']);
});

test("rows for items outside the local run's sample are not reported missing", async () => {
  const c = await compareResults(lines('cloud', digits(10).join('\n')), lines('local', digits(2).join('\n')), {
    localItems: new Set(['0.png', '1.png']),
  });
  assert.equal(c.counts.onlyLeft, 0);
  assert.equal(c.counts.outsideSample, 8);
  assert.ok(sameResults(c));
});

test('DataFrame rows match on a chosen column, numbers within the tolerance are equal', async () => {
  const dialect = { sep: ',', quoteChar: '"', header: false };
  const cloud = lines('cloud', 'a,s1,0.5000001\nb,s2,2\nc,s3,"x,y"\n', { dialect, preferTable: true });
  const local = lines('local', 's2,b,2\ns1,a,0.5\ns3,c,"x,y"\n', { dialect, preferTable: true, columns: ['store', 'id', 'score'] });
  // Keys in different columns: by name on the local side's columns; the cloud side reads the same layout.
  const byFirst = await compareResults(cloud, local, { tolerance: 1e-3 });
  assert.equal(byFirst.counts.matched, 0, 'first columns hold different things');
  const c = await compareResults(lines('cloud', 's1,a,0.5000001\ns2,b,2\ns3,c,"x,y"\n', { dialect, preferTable: true }), local, {
    key: 'store',
    tolerance: 1e-3,
  });
  assert.equal(c.keyColumn, 'store');
  assert.equal(c.counts.equal, 3);
  const strict = await compareResults(lines('cloud', 's1,a,0.5000001\n', { dialect, preferTable: true }), local, { key: '1' });
  assert.deepEqual(
    strict.differing.map((d) => d.columns),
    [['score']],
  );
  await assert.rejects(compareResults(cloud, local, { key: 'nope' }), /has no column nope; its columns: store, id, score/);
});

test('a key on several rows is reported', async () => {
  const c = await compareResults(lines('cloud', '1.png: 1\n1.png: 1\n'), lines('local', '1.png: 1\n'));
  assert.deepEqual(c.duplicateKeys, [{ key: '1.png', left: 2, right: 1 }]);
  assert.ok(!sameResults(c));
});
