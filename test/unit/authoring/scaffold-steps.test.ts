/** "New entry script…" as the user goes through it: answers in, files out, Back and Escape honoured. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkSpecText } from '../../../src/core/spec';
import {
  Cancelled,
  GoBack,
  SCAFFOLD_STEPS,
  scaffold,
  specPath,
  type PickItem,
  type ScaffoldUi,
  type StepInfo,
} from '../../../src/vscode/authoring/scaffold-steps';

/** `back` presses Back, `cancel` presses Escape; for pick, a string picks the item whose label starts with it. */
type Answer = string | 'back' | 'cancel' | undefined;

class ScriptedUi implements ScaffoldUi {
  readonly warnings: string[] = [];
  readonly steps: number[] = [];
  readonly validators: Record<string, (value: string) => string | undefined> = {};
  overwrite = true;
  overwriteAsked: string[] = [];

  constructor(private readonly answers: Answer[]) {}

  private next(info: StepInfo | undefined): Answer {
    if (info) this.steps.push(info.step);
    if (this.answers.length === 0) throw new Error('the flow asked more than the test answered');
    const answer = this.answers.shift();
    if (answer === 'back') throw new GoBack();
    if (answer === 'cancel') throw new Cancelled();
    return answer;
  }

  async pick<T>(options: StepInfo & { placeholder: string; items: PickItem<T>[] }): Promise<T> {
    const answer = this.next(options);
    const item = options.items.find((i) => i.label.startsWith(answer ?? ''));
    if (!item) throw new Error(`no item "${answer}" in ${options.items.map((i) => i.label).join(', ')}`);
    return item.value;
  }

  async input(options: StepInfo & { prompt: string; value: string; validate(value: string): string | undefined }): Promise<string> {
    this.validators[options.prompt.split(/[ :]/)[0]] = options.validate;
    const answer = this.next(options) ?? options.value; // undefined accepts the default
    const problem = options.validate(answer);
    if (problem) throw new Error(`the test typed an invalid value ${answer}: ${problem}`);
    return answer;
  }

  async browse(): Promise<string | undefined> {
    return this.next(undefined);
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  async confirmOverwrite(files: string[]): Promise<boolean> {
    this.overwriteAsked = files;
    return this.overwrite;
  }
}

function project(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scaffold-flow-'));
  mkdirSync(path.join(dir, 'data'));
  writeFileSync(path.join(dir, 'data', 'a.png'), 'x');
  return dir;
}

const FILES_FLOW = (dir: string): Answer[] => ['Files', 'score', dir, 'Choose', path.join(dir, 'data'), 'No model', '5', '3'];

test('writes <name>.py and <name>.yml beside each other, and the spec reads without findings', async () => {
  const dir = project();
  const ui = new ScriptedUi(FILES_FLOW(dir));
  const plan = await scaffold(ui, dir);
  assert.equal(plan.scriptFile, path.join(dir, 'score.py'));
  const spec = readFileSync(path.join(dir, 'score.yml'), 'utf8');
  assert.match(spec, /path: \.\/data\n/);
  const job = checkSpecText(spec, plan.specFile).spec!.parallelNodes[0];
  assert.deepEqual(
    [job.miniBatchSize, job.maxConcurrencyPerInstance, job.instanceCount, job.driver.appendRowFileName],
    [5, 3, 1, 'score_results.txt'],
  );
  assert.match(readFileSync(plan.scriptFile, 'utf8'), /def run\(mini_batch\):/);
  assert.deepEqual(ui.steps, [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(ui.warnings, []);
});

test('a typed input path that does not exist yet warns, and is written as typed', async () => {
  const dir = project();
  const ui = new ScriptedUi(['Tabular', 'rows', dir, 'Type', 'tables/sales', 'No model', '64kb', '2']);
  await scaffold(ui, dir);
  assert.match(ui.warnings[0], /sales does not exist yet/);
  const spec = readFileSync(path.join(dir, 'rows.yml'), 'utf8');
  assert.match(spec, /type: mltable\n {4}path: \.\/tables\/sales\n/);
  assert.match(spec, /mini_batch_size: "64kb"/);
});

test('Back returns to the previous question and keeps the flow going', async () => {
  const dir = project();
  // Files, then Back at the name, then Tabular; Back from "type a path" returns to "choose or type".
  const ui = new ScriptedUi([
    'Files',
    'back',
    'Tabular',
    'score',
    dir,
    'Type',
    'back',
    'Choose',
    path.join(dir, 'data'),
    'No model',
    undefined,
    undefined,
  ]);
  await scaffold(ui, dir);
  assert.deepEqual(ui.steps, [1, 2, 1, 2, 3, 4, 4, 4, 5, 6, 7]);
  assert.match(readFileSync(path.join(dir, 'score.yml'), 'utf8'), /mini_batch_size: "1mb"/, 'the tabular default');
});

test('Escape at any question writes nothing', async () => {
  for (let step = 0; step < FILES_FLOW('').length; step++) {
    const dir = project();
    const answers = FILES_FLOW(dir);
    answers[step] = 'cancel';
    await assert.rejects(scaffold(new ScriptedUi(answers), dir), Cancelled, `step ${step}`);
    assert.ok(!existsSync(path.join(dir, 'score.py')) && !existsSync(path.join(dir, 'score.yml')), `step ${step} wrote files`);
  }
});

test('asks before replacing existing files, and keeps them when the answer is no', async () => {
  const dir = project();
  writeFileSync(path.join(dir, 'score.py'), 'mine');
  const keep = new ScriptedUi(FILES_FLOW(dir));
  keep.overwrite = false;
  await assert.rejects(scaffold(keep, dir), Cancelled);
  assert.deepEqual(keep.overwriteAsked, [path.join(dir, 'score.py')]);
  assert.equal(readFileSync(path.join(dir, 'score.py'), 'utf8'), 'mine');
  assert.ok(!existsSync(path.join(dir, 'score.yml')));

  await scaffold(new ScriptedUi(FILES_FLOW(dir)), dir);
  assert.notEqual(readFileSync(path.join(dir, 'score.py'), 'utf8'), 'mine');
});

test('a model file becomes a uri_file input passed as --model', async () => {
  const dir = project();
  writeFileSync(path.join(dir, 'model.onnx'), 'm');
  const answers = FILES_FLOW(dir);
  answers.splice(5, 1, 'A model file', path.join(dir, 'model.onnx'));
  const plan = await scaffold(new ScriptedUi(answers), dir);
  const job = checkSpecText(readFileSync(plan.specFile, 'utf8'), plan.specFile).spec!.parallelNodes[0];
  assert.deepEqual(job.userArguments, ['--model', path.join(dir, 'model.onnx')]);
  assert.equal(job.inputs.model.type, 'uri_file');
  assert.match(readFileSync(plan.scriptFile, 'utf8'), /parser\.add_argument\("--model", required=True/);
});

test('without a current folder the flow opens a folder dialog, and dismissing it cancels', async () => {
  const dir = project();
  // The third answer goes to the dialog: there is no "current folder" item to pick.
  await scaffold(new ScriptedUi(FILES_FLOW(dir)), undefined);
  assert.ok(existsSync(path.join(dir, 'score.yml')));
  await assert.rejects(scaffold(new ScriptedUi(['Files', 'score', undefined]), undefined), Cancelled);
});

test('the questions refuse what the spec or Python would refuse', async () => {
  const dir = project();
  const ui = new ScriptedUi(FILES_FLOW(dir));
  await scaffold(ui, dir, SCAFFOLD_STEPS);
  const name = ui.validators['Name'];
  assert.match(name('my-script') ?? '', /not a Python module name/);
  assert.match(ui.validators['mini_batch_size']('1mb') ?? '', /number of files/);
  assert.match(ui.validators['max_concurrency_per_instance']('0') ?? '', /from 1/);
});

test('paths in the spec are relative to its folder with forward slashes', () => {
  assert.equal(specPath('/w/proj', '/w/proj/data/images'), './data/images');
  assert.equal(specPath('/w/proj', '/w/shared/data'), '../shared/data');
  assert.equal(specPath('/w/proj', '/w/proj'), '.');
});

test('a tabular input can be one CSV file chosen in a file dialog', async () => {
  const dir = project();
  writeFileSync(path.join(dir, 'data', 'rows.csv'), 'row_id,a\n1,2\n');
  const plan = await scaffold(
    new ScriptedUi(['Tabular', 'rows', dir, 'Choose a file', path.join(dir, 'data', 'rows.csv'), 'No model', undefined, undefined]),
    dir,
  );
  const check = checkSpecText(readFileSync(plan.specFile, 'utf8'), plan.specFile);
  assert.deepEqual(check.diagnostics, []);
  assert.match(readFileSync(plan.specFile, 'utf8'), /path: \.\/data\/rows\.csv/);
});
