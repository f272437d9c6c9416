/** Hover lookups: the key or driver option under the cursor of a parallel spec, and what the hover says. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { DRIVER_OPTION_NAMES, fieldDocFor } from '../../../src/core/spec';
import { renderSpec } from '../../../src/core/scaffold/templates';
import { DRIVER_OPTION_DOCS } from '../../../src/vscode/authoring/driver-options';
import { fieldAt, hoverMarkdown } from '../../../src/vscode/authoring/field-at';

const DIGITS = readFileSync(path.resolve(__dirname, '../../../../samples/digits/pipeline.yml'), 'utf8');

/** The hover at the `nth` occurrence of `marker` (the cursor on its second character). */
function hoverAt(text: string, marker: string, nth = 1): string | undefined {
  let index = -1;
  for (let n = 0; n < nth; n++) index = text.indexOf(marker, index + 1);
  assert.ok(index >= 0, `no ${marker} in the text`);
  const hit = fieldAt(text, index + 1);
  return hit && hoverMarkdown(hit);
}

test('retry_settings.timeout explains itself with its v1 name and default in seconds', () => {
  const hover = hoverAt(DIGITS, 'timeout: 60');
  assert.match(hover ?? '', /retry_settings\.timeout/);
  assert.match(hover ?? '', /v1 `run_invocation_timeout` · default 60 s/);
});

test('nested and top-level node fields of a pipeline give their v1 names', () => {
  assert.match(hoverAt(DIGITS, 'instance_count:') ?? '', /resources\.instance_count.*\n[\s\S]*v1 `node_count` · default 1/);
  assert.match(hoverAt(DIGITS, 'max_concurrency_per_instance:') ?? '', /v1 `process_count_per_node`/);
  assert.match(hoverAt(DIGITS, 'mini_batch_error_threshold:') ?? '', /v1 `allowed_failed_count` · default -1/);
  assert.match(hoverAt(DIGITS, 'entry_script:') ?? '', /task\.entry_script/);
});

test('pipeline keys outside the node use the pipeline table', () => {
  assert.match(hoverAt(DIGITS, 'default_compute:') ?? '', /settings\.default_compute/);
  assert.match(hoverAt(DIGITS, 'experiment_name:') ?? '', /Experiment/);
});

test('driver options inside program_arguments explain themselves; other options belong to the script', () => {
  const hover = hoverAt(DIGITS, '--append_row_file_name mnist');
  assert.match(hover ?? '', /`--append_row_file_name`\*\* \(driver option\)/);
  assert.match(hover ?? '', /v1 `append_row_file_name` · default parallel_run_step\.txt/);
  assert.match(hoverAt(DIGITS, '--model ${{') ?? '', /argument of the entry script[\s\S]*parse_known_args/);
});

test('an option written --name=value or in a quoted string is still found', () => {
  const text = 'type: parallel\ntask:\n  program_arguments: "--task_overhead_timeout=90 --allowed_failed_percent 5"\n';
  assert.match(hoverAt(text, '--task_overhead_timeout') ?? '', /default 30 s/);
  assert.match(hoverAt(text, '--allowed_failed_percent') ?? '', /default 100/);
  assert.equal(hoverAt(text, '=90'), undefined, 'a value is not an option');
});

test('a standalone parallel component uses node fields at the top level', () => {
  const text = 'type: parallel\nmini_batch_size: "10kb"\nretry_settings:\n  max_retries: 3\n';
  assert.match(hoverAt(text, 'mini_batch_size') ?? '', /default files: 10; tabular: 1MB/);
  assert.match(hoverAt(text, 'max_retries') ?? '', /run_max_try/);
});

test('no hover on values, on user keys (inputs, tags) or in nodes of other types', () => {
  const text = [
    'type: pipeline',
    'jobs:',
    '  prep:',
    '    type: command',
    '    resources:',
    '      instance_count: 2',
    '  score:',
    '    type: parallel',
    '    inputs:',
    '      images: ${{parent.inputs.x}}',
    '    mini_batch_size: "10"',
  ].join('\n');
  assert.equal(hoverAt(text, 'instance_count'), undefined);
  assert.equal(hoverAt(text, 'images:'), undefined);
  assert.equal(hoverAt(text, '"10"'), undefined);
  assert.match(hoverAt(text, 'mini_batch_size') ?? '', /mini_batch_size/);
});

test('text being typed (broken YAML, empty) gives no hover and no exception', () => {
  for (const text of ['', 'jobs:\n  a:\n    type: parallel\n    retry_settings: [', ':::', '- a\n- b']) {
    for (let i = 0; i <= text.length; i++) assert.doesNotThrow(() => fieldAt(text, i));
  }
});

test('every driver option core/spec knows has a hover doc', () => {
  assert.deepEqual(
    DRIVER_OPTION_NAMES.filter((o) => !DRIVER_OPTION_DOCS[o]),
    [],
  );
});

test('keys inside a block scalar, comments and sequences are not mistaken for fields', () => {
  const text = [
    'type: parallel',
    'description: |',
    '  timeout: 5',
    '# mini_batch_size: 3',
    'partition_keys:',
    '  - Store',
    'retry_settings:',
    '',
    '  # the default is 2',
    '  max_retries: 3',
    'task:',
    '  program_arguments: "--append_row_file_name a.txt',
    '    --allowed_failed_percent 10"',
  ].join('\r\n');
  assert.equal(hoverAt(text, 'timeout'), undefined);
  assert.equal(hoverAt(text, 'mini_batch_size'), undefined);
  assert.equal(hoverAt(text, 'Store'), undefined);
  assert.match(hoverAt(text, 'partition_keys') ?? '', /partition_keys/);
  assert.match(hoverAt(text, 'max_retries') ?? '', /retry_settings\.max_retries/);
  assert.match(hoverAt(text, '--allowed_failed_percent') ?? '', /default 100/, 'a continuation line of a quoted value');
});

/** Every key of a YAML text with its path, from the real YAML parser. */
function keysOf(text: string): { offset: number; path: string[] }[] {
  const found: { offset: number; path: string[] }[] = [];
  const walk = (node: unknown, path: string[]): void => {
    if (YAML.isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key as YAML.Scalar;
        found.push({ offset: key.range![0], path: [...path, String(key.value)] });
        walk(pair.value, [...path, String(key.value)]);
      }
    } else if (YAML.isSeq(node)) node.items.forEach((item) => walk(item, [...path, '[]']));
  };
  walk(YAML.parseDocument(text).contents, []);
  return found;
}

test('finds the same key paths as a YAML parser on the samples and the scaffold', () => {
  const texts = [
    DIGITS,
    readFileSync(path.resolve(__dirname, '../../../../samples/tabular/pipeline.yml'), 'utf8'),
    renderSpec({
      nodeName: 'score',
      entryScript: 'score.py',
      inputKind: 'tabular',
      inputPath: './t',
      modelPath: './m',
      miniBatchSize: '1mb',
      processes: 2,
      nodes: 2,
      appendRowFileName: 'r.txt',
    }),
  ];
  let documented = 0;
  for (const text of texts) {
    const jobs = (YAML.parse(text) as { jobs: Record<string, { type?: string }> }).jobs;
    for (const { offset, path: keyPath } of keysOf(text)) {
      const inOtherNode = keyPath[0] === 'jobs' && keyPath.length > 2 && jobs[keyPath[1]]?.type !== 'parallel';
      const expected = keyPath.includes('[]') || inOtherNode ? undefined : fieldDocFor(keyPath, 'pipeline');
      for (const delta of [0, 1]) {
        const hit = fieldAt(text, offset + delta);
        assert.deepEqual(hit?.kind === 'field' ? hit.path : undefined, expected ? keyPath : undefined, `${keyPath.join('.')} +${delta}`);
      }
      if (expected) documented++;
    }
  }
  assert.ok(documented > 60, `only ${documented} documented keys checked`);
});
