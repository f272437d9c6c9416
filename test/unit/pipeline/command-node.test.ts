import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { checkSpecText, loadSpec } from '../../../src/core/spec';
import { writeTree, yaml } from '../spec/fixture';

const SCORE = [
  '  score:', // 12
  '    type: parallel',
  '    inputs:',
  '      data:',
  '        type: mltable',
  '        path: ${{parent.jobs.prep.outputs.table}}',
  '    input_data: ${{inputs.data}}',
  '    mini_batch_size: 1kb',
  '    task:',
  '      code: ./src',
  '      entry_script: score.py',
];

function pipeline(prep: string[]): string {
  return yaml('type: pipeline', 'jobs:', '  prep:', ...prep, ...SCORE);
}

const INLINE_PREP = [
  '    type: command', // 4
  '    code: ./src',
  '    command: python prep.py --rows ${{inputs.rows}} --out ${{outputs.table}}',
  '    inputs:',
  '      rows: 10',
  '    outputs:',
  '      table:',
  '        type: mltable',
];

const FILES = { 'src/prep.py': '', 'src/score.py': '' };

function check(text: string, files: Record<string, string> = FILES, options = {}) {
  const dir = writeTree({ 'pipeline.yml': text, ...files });
  return { dir, ...checkSpecText(text, path.join(dir, 'pipeline.yml'), options) };
}

test('an inline command node is read with its code folder, ports and command as written', () => {
  const { spec, diagnostics, dir } = check(pipeline(INLINE_PREP));
  assert.deepEqual(diagnostics, []);
  const prep = spec!.commandNodes![0];
  assert.equal(prep.nodeName, 'prep');
  assert.equal(prep.codeDir, path.join(dir, 'src'));
  assert.equal(prep.command, 'python prep.py --rows ${{inputs.rows}} --out ${{outputs.table}}');
  assert.equal(prep.inputs.rows.value, 10);
  assert.equal(prep.outputs.table.type, 'mltable');
  assert.deepEqual(spec!.nodes, [
    { name: 'prep', type: 'command', needs: [] },
    { name: 'score', type: 'parallel', needs: ['prep'] },
  ]);
});

test("a parallel node's input from an earlier step is not an error in the editor: it is read when that step ran", () => {
  const { spec } = check(pipeline(INLINE_PREP));
  const score = spec!.parallelNodes[0];
  assert.deepEqual(score.inputData.upstream, { node: 'prep', output: 'table' });
  assert.equal(score.inputData.kind, 'tabular');
  assert.deepEqual(score.inputs.data.from, { node: 'prep', output: 'table' });
});

test('an input bound to a step output without a type takes the type that step declares', () => {
  const text = pipeline(INLINE_PREP).replace('        type: mltable\n        path: ${{parent', '        path: ${{parent');
  const { spec, diagnostics } = check(text);
  assert.deepEqual(
    diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  assert.equal(spec!.parallelNodes[0].inputs.data.type, 'mltable');
});

test('a binding to a step or output that does not exist is an error at the binding, with a suggestion', () => {
  const wrongStep = check(pipeline(INLINE_PREP).replace('parent.jobs.prep.outputs', 'parent.jobs.prepp.outputs'));
  const d1 = wrongStep.diagnostics.find((d) => d.rule === 'unknown-binding')!;
  assert.equal(d1.location.line, 17);
  assert.match(d1.message, /no such step\. Did you mean `prep`\?/);
  const wrongOutput = check(pipeline(INLINE_PREP).replace('outputs.table}}\n    input_data', 'outputs.tabel}}\n    input_data'));
  const d2 = wrongOutput.diagnostics.find((d) => d.rule === 'unknown-binding')!;
  assert.match(d2.message, /output `tabel` of step `prep`, which has no such output\. Did you mean `table`\?/);
});

test('a command component file supplies command, code and ports; the node binds the inputs', () => {
  const component = yaml(
    'type: command',
    'name: prep',
    'inputs:',
    '  rows:',
    '    type: integer',
    '  seed:',
    '    type: integer',
    '    optional: true',
    'outputs:',
    '  table:',
    '    type: mltable',
    'code: ./',
    'command: python prep.py --rows ${{inputs.rows}} $[[--seed ${{inputs.seed}}]] --out ${{outputs.table}}',
  );
  const text = pipeline(['    type: command', '    component: ./src/prep.yml', '    inputs:', '      rows: 5']);
  const { spec, diagnostics, dir } = check(text, { ...FILES, 'src/prep.yml': component });
  assert.deepEqual(diagnostics, []);
  const prep = spec!.commandNodes![0];
  assert.equal(prep.codeDir, path.join(dir, 'src'));
  assert.equal(prep.inputs.rows.value, 5);
  assert.equal(prep.inputs.seed.optional, true);
  assert.equal(spec!.parallelNodes[0].inputs.data.type, 'mltable');
});

test('an optional input without a value outside $[[…]] is an error that says how to wrap it', () => {
  const component = yaml(
    'type: command',
    'inputs:',
    '  seed:',
    '    type: integer',
    '    optional: true',
    'outputs:',
    '  table:',
    '    type: mltable',
    'command: python prep.py --seed ${{inputs.seed}} --out ${{outputs.table}}',
  );
  const text = pipeline(['    type: command', '    component: ./src/prep.yml']);
  const { diagnostics } = check(text, { ...FILES, 'src/prep.yml': component });
  const d = diagnostics.find((x) => x.rule === 'unbound-input')!;
  assert.equal(d.location.file.endsWith('prep.yml'), true);
  assert.equal(d.location.line, 9);
  assert.match(d.fix!, /\$\[\[--seed \$\{\{inputs\.seed\}\}\]\]/);
});

test('unknown keys of a command node are errors with the closest key', () => {
  const { diagnostics } = check(pipeline([...INLINE_PREP, '    enviroment: azureml:sklearn@latest']));
  const d = diagnostics.find((x) => x.rule === 'unknown-key')!;
  assert.equal(d.location.line, 12);
  assert.match(d.message, /Unknown key `enviroment` in command node `prep`\. Did you mean `environment`\?/);
});

test('compute, environment and modes of a command node are kept as cloud-only fields, not errors', () => {
  const prep = [
    ...INLINE_PREP,
    '        mode: rw_mount',
    '    compute: azureml:cpu-cluster',
    '    environment: azureml://registries/azureml/environments/sklearn-1.5/labels/latest',
    '    resources:',
    '      instance_count: 2',
  ];
  const { spec, diagnostics } = check(pipeline(prep));
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(spec!.commandNodes![0].cloudOnly, [
    'compute azureml:cpu-cluster',
    'environment azureml://registries/azureml/environments/sklearn-1.5/labels/latest (from the registry azureml)',
    'resources',
    'mode rw_mount',
  ]);
});

test('a registry component is named as such, a flow as a prompt flow', () => {
  const registry = check(pipeline(['    type: command', '    component: azureml://registries/azureml/components/train_model/versions/3']));
  const w = registry.diagnostics.find((d) => d.rule === 'node-not-local')!;
  assert.match(w.message, /from the registry azureml \(not available offline\)/);
  const flow = check(pipeline(['    type: parallel', '    component: ./flow.yml']), {
    ...FILES,
    'flow.yml': yaml('$schema: https://azuremlschemas.azureedge.net/promptflow/latest/Flow.schema.json', 'type: flow'),
  });
  assert.match(flow.diagnostics.find((d) => d.rule === 'component-type')!.message, /is a prompt flow, not a parallel job/);
  const parallelFromRegistry = check(
    pipeline(['    type: parallel', '    component: azureml://registries/contoso/components/batch_score/versions/1']),
  );
  assert.match(
    parallelFromRegistry.diagnostics.find((d) => d.rule === 'remote-component')!.message,
    /from the registry contoso \(not available offline\)/,
  );
});

test('--set reaches a command node: jobs.<node>.inputs.<x>=… and an unknown field is refused', async () => {
  const dir = writeTree({ 'pipeline.yml': pipeline(INLINE_PREP), ...FILES });
  const spec = await loadSpec(path.join(dir, 'pipeline.yml'), { overrides: ['jobs.prep.inputs.rows=3'] });
  assert.equal(spec.commandNodes![0].inputs.rows.value, 3);
  await assert.rejects(loadSpec(path.join(dir, 'pipeline.yml'), { overrides: ['jobs.prep.comand=echo'] }), /Did you mean `command`\?/);
});

test("with --node, other steps' problems (a missing input folder) do not block the chosen step", async () => {
  const text = yaml(
    'type: pipeline',
    'jobs:',
    '  other:',
    '    type: command',
    '    command: ls ${{inputs.data}}',
    '    inputs:',
    '      data:',
    '        type: uri_folder',
    '        path: ./not-here',
    '  prep:',
    ...INLINE_PREP,
    ...SCORE,
  );
  const dir = writeTree({ 'pipeline.yml': text, ...FILES });
  await assert.rejects(loadSpec(path.join(dir, 'pipeline.yml')), /not-here does not exist/);
  const spec = await loadSpec(path.join(dir, 'pipeline.yml'), { onlyNode: 'prep' });
  assert.equal(spec.commandNodes!.find((c) => c.nodeName === 'prep')!.inputs.rows.value, 10);
});

test('a program_arguments fix for a node-level cloud input names jobs.<node>.inputs.<x>.path', () => {
  const text = yaml(
    'type: pipeline',
    'jobs:',
    '  score:',
    '    type: parallel',
    '    inputs:',
    '      data:',
    '        type: uri_folder',
    '        path: ./data',
    '      model:',
    '        type: uri_folder',
    '        path: azureml:my-model:1',
    '    input_data: ${{inputs.data}}',
    '    task:',
    '      code: ./src',
    '      entry_script: score.py',
    '      program_arguments: --model ${{inputs.model}}',
  );
  const { diagnostics } = check(text, { ...FILES, 'data/a.txt': 'a' });
  const d = diagnostics.find((x) => x.rule === 'remote-input')!;
  assert.match(d.fix!, /--set jobs\.score\.inputs\.model\.path=\.\/local-copy/);
});

test('steps that wait for each other in a circle are an error at a step name', () => {
  const text = yaml(
    'type: pipeline',
    'jobs:',
    '  a:',
    '    command: echo ${{inputs.x}} ${{outputs.y}}',
    '    inputs:',
    '      x: ${{parent.jobs.b.outputs.y}}',
    '    outputs:',
    '      y:',
    '  b:',
    '    command: echo ${{inputs.x}} ${{outputs.y}}',
    '    inputs:',
    '      x: ${{parent.jobs.a.outputs.y}}',
    '    outputs:',
    '      y:',
  );
  const { diagnostics } = check(text);
  const d = diagnostics.find((x) => x.rule === 'step-cycle')!;
  assert.match(d.message, /a -> b -> a/);
});

test('--set jobs.<node>.inputs.<x>.path over a step-output binding keeps the type that step declares', async () => {
  const text = pipeline(INLINE_PREP).replace(
    '      data:\n        type: mltable\n        path: ${{parent.jobs.prep.outputs.table}}',
    '      data: ${{parent.jobs.prep.outputs.table}}',
  );
  const dir = writeTree({ 'pipeline.yml': text, ...FILES, 'table/part.csv': 'a,b\n1,2\n' });
  const spec = await loadSpec(path.join(dir, 'pipeline.yml'), {
    overrides: ['jobs.score.inputs.data.path=./table'],
    cwd: dir,
  });
  const score = spec.parallelNodes[0];
  assert.equal(score.inputData.kind, 'tabular');
  assert.equal(score.inputData.upstream, undefined);
  assert.deepEqual(spec.nodes!.find((n) => n.name === 'score')!.needs, []);
});
