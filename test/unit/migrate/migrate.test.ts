/** `parallel-run migrate`: SDK v1 ParallelRunStep code → v2 specs the spec reader accepts, with a report. */
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { migrateFile, v2NodeName, MigrateError, type MigrateResult } from '../../../src/core/scaffold/migrate';
import { checkSpecText } from '../../../src/core/spec';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'migrate');
const PYTHON = process.env.PARALLEL_RUN_PYTHON ?? 'python3';

function tmp(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'migrate-'));
}

/** A folder holding `files` (relative path → text), for hand-written v1 variants. */
function folderWith(files: Record<string, string>): string {
  const dir = tmp();
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

async function migrate(file: string, outDir = path.join(tmp(), 'v2')): Promise<MigrateResult & { spec: any; report: string }> {
  const result = await migrateFile(file, { outDir, python: PYTHON });
  const text = readFileSync(result.specFile, 'utf8');
  return { ...result, spec: parse(text), report: readFileSync(result.reportFile, 'utf8') };
}

/** The spec reader's diagnostics for the written spec (`local: false`: cloud data stays in the cloud). */
function diagnosticsOf(result: MigrateResult, local = false): string[] {
  const check = checkSpecText(readFileSync(result.specFile, 'utf8'), result.specFile, { local, cpuCount: 2 });
  return check.diagnostics.map((d) => `${d.location.line}: ${d.severity}: ${d.message}`);
}

const ENTRY = `def init():\n    pass\n\n\ndef run(mini_batch):\n    return [str(x) for x in mini_batch]\n`;

test('the tutorial notebook (2020 revision) becomes a parallel node with its parameters, threshold and append_row', async () => {
  const r = await migrate(path.join(FIXTURES, 'tutorial-2020.ipynb'));
  assert.deepEqual(diagnosticsOf(r), []);
  const node = r.spec.jobs.predict_digits_mnist;
  assert.equal(node.type, 'parallel');
  assert.equal(node.mini_batch_size, '${{parent.inputs.batch_size_param}}');
  assert.equal(r.spec.inputs.batch_size_param, '5');
  assert.equal(node.max_concurrency_per_instance, '${{parent.inputs.process_count_param}}');
  assert.equal(r.spec.inputs.process_count_param, 2);
  assert.equal(node.resources.instance_count, 2);
  assert.equal(node.error_threshold, 10);
  assert.equal(node.task.append_row_to, '${{outputs.inferences}}');
  assert.match(node.task.program_arguments, /--append_row_file_name mnist_outputs\.txt/);
  assert.equal(node.input_data, '${{inputs.minist_param_config}}');
  assert.equal(node.inputs.minist_param_config, '${{parent.inputs.mnist_param}}');
  assert.deepEqual(r.spec.inputs.mnist_param, {
    type: 'uri_folder',
    path: 'azureml://datastores/mnist_datastore/paths/mnist/',
    mode: 'ro_mount',
  });
  assert.equal(r.spec.settings.default_compute, 'azureml:cpucluster');
  assert.equal(r.spec.experiment_name, 'digit_identification');
});

test('the tutorial notebook: the %%writefile entry script is written to src/ and Model.get_model_path becomes a model input', async () => {
  const r = await migrate(path.join(FIXTURES, 'tutorial-2020.ipynb'));
  const node = r.spec.jobs.predict_digits_mnist;
  assert.equal(node.task.code, './src');
  assert.ok(existsSync(path.join(path.dirname(r.specFile), 'src', 'digit_identification.py')));
  assert.deepEqual(r.spec.inputs.mnist_model, { type: 'custom_model', path: 'azureml:mnist@latest' });
  assert.match(node.task.program_arguments, /--model \$\{\{inputs\.mnist_model\}\}/);
  assert.match(
    r.report,
    /src\/digit_identification\.py:\d+: `Model\.get_model_path\('mnist'\)` — Read the model folder from the `--model` argument/,
  );
});

test('the tutorial notebook: conda file from pip_packages, the GPU base image, and the report of the rename and skipped magics', async () => {
  const r = await migrate(path.join(FIXTURES, 'tutorial-2020.ipynb'));
  const env = r.spec.jobs.predict_digits_mnist.task.environment;
  assert.match(env.image, /^mcr\.microsoft\.com\/azureml\/openmpi4\.1\.0-cuda/);
  const conda = parse(readFileSync(path.join(path.dirname(r.specFile), env.conda_file), 'utf8'));
  assert.deepEqual(conda.dependencies.at(-1).pip, [
    'tensorflow==1.15.2',
    'pillow',
    'azureml-core',
    'azureml-dataset-runtime[pandas, fuse]',
  ]);
  assert.match(r.report, /`predict-digits-mnist` → `predict_digits_mnist`/);
  assert.match(r.report, /cell 2, line 1: `%pip install azureml-sdk` skipped/);
  assert.match(r.report, /\*\*To do by hand: 0 setting\(s\), 1 entry-script change\(s\)\*\*/);
  assert.match(
    r.report,
    /parallel-run run pipeline\.yml \\\n {2}--set inputs\.mnist_param\.path=<local data> \\\n {2}--set inputs\.mnist_model\.path=<local model folder>/,
  );
});

test('the tutorial script (later revision): an unknown source_directory is reported as manual, the rest maps', async () => {
  // Its scripts_folder is set in a part of the notebook the article does not show.
  const dir = tmp();
  cpSync(path.join(FIXTURES, 'tutorial-2021.py'), path.join(dir, 'tutorial-2021.py'));
  writeFileSync(path.join(dir, 'digit_identification.py'), ENTRY);
  const r = await migrate(path.join(dir, 'tutorial-2021.py'), path.join(dir, 'v2'));
  assert.deepEqual(diagnosticsOf(r), []);
  const node = r.spec.jobs.predict_digits_mnist;
  assert.equal(node.task.code, '..');
  assert.equal(node.resources.instance_count, 2);
  assert.equal(r.spec.inputs.batch_size_param, '5');
  assert.match(r.report, /'scripts_folder' is not known here.*\*\*\(by hand\)\*\*/);
  assert.match(r.report, /'output_path_on_compute' has no v2 equivalent/);
  assert.match(r.report, /- tutorial-2021\.py:\d+: `parallel_run_config\.source_directory = scripts_folder`/);
});

test('a tabular input with a size string and summary_only: an MLTable with read_delimited beside the spec, no append_row_to', async () => {
  const dir = folderWith({
    'data/a.csv': 'x,y\n1,2\n3,4\n',
    'data/b.csv': 'x,y\n5,6\n',
    'src/score.py': ENTRY,
    'v1.py': `
from azureml.core import Dataset, Environment
from azureml.pipeline.steps import ParallelRunConfig, ParallelRunStep
table = Dataset.Tabular.from_delimited_files(path="data/*.csv", separator=",")
config = ParallelRunConfig(
    source_directory="src", entry_script="score.py",
    mini_batch_size="1MB",      # a size: tabular input
    error_threshold=-1, output_action="summary_only",
    environment=Environment.get(ws, "AzureML-sklearn"), compute_target="cpu-cluster", node_count=1)
step = ParallelRunStep(name="score-table", parallel_run_config=config, inputs=[table.as_named_input("rows")])
`,
  });
  const r = await migrate(path.join(dir, 'v1.py'), path.join(dir, 'v2'));
  assert.deepEqual(diagnosticsOf(r, true), []);
  const node = r.spec.jobs.score_table;
  assert.equal(node.mini_batch_size, '1MB');
  assert.equal(node.task.append_row_to, undefined);
  assert.equal(node.task.environment, 'azureml:AzureML-sklearn@latest');
  assert.equal(r.spec.inputs.rows.type, 'mltable');
  const table = parse(readFileSync(path.join(path.dirname(r.specFile), r.spec.inputs.rows.path, 'MLTable'), 'utf8'));
  assert.deepEqual(table.paths, [{ pattern: '../../data/*.csv' }]);
  assert.deepEqual(table.transformations[0].read_delimited.delimiter, ',');
  assert.match(r.report, /summary_only is v2 without append_row_to/);
});

test('partition_keys over a partitioned FileDataset: extract_columns_from_partition_format, and mini_batch_size is dropped', async () => {
  const dir = folderWith({
    'sales/north/brandA/1.csv': 'q\n1\n',
    'sales/south/brandB/2.csv': 'q\n2\n',
    'src/score.py': ENTRY,
    'v1.py': `
from azureml.core import Dataset
files = Dataset.File.from_files(path="sales/", partition_format="{Store}/{Brand}/{file}.csv")
config = ParallelRunConfig(source_directory="src", entry_script="score.py", partition_keys=["Store", "Brand"],
                           mini_batch_size=5, output_action="append_row", environment=env, compute_target="cpu")
step = ParallelRunStep(name="by-store", parallel_run_config=config, inputs=[files.as_named_input("sales").as_mount()],
                       output=PipelineData(name="scores", datastore=store))
`,
  });
  const r = await migrate(path.join(dir, 'v1.py'));
  assert.deepEqual(diagnosticsOf(r, true), []);
  const node = r.spec.jobs.by_store;
  assert.deepEqual(node.partition_keys, ['Store', 'Brand']);
  assert.equal(node.mini_batch_size, undefined);
  const table = readFileSync(path.join(path.dirname(r.specFile), 'sales', 'MLTable'), 'utf8');
  assert.match(table, /extract_columns_from_partition_format:\n\s+partition_format: "?\{Store\}\/\{Brand\}\/\{file\}\.csv"?/);
  assert.match(r.report, /`env` is not assigned in this file|Not an Environment built in this file/);
});

test('side_inputs, arguments, retries, thresholds and allow_reuse=False land in their v2 fields', async () => {
  const dir = folderWith({
    'src/score.py': ENTRY,
    'v1.py': `
import os
labels = ws.datasets["digit-labels"]
images = Dataset.get_by_name(ws, name="digit-images", version=3)
threshold = PipelineParameter(name="threshold", default_value=0.5)
config = ParallelRunConfig(
    source_directory="src",
    entry_script="score.py",
    mini_batch_size=os.environ.get("BATCH", 4),
    allowed_failed_count=3, allowed_failed_percent=10,
    run_max_try=5, run_invocation_timeout=120, logging_level="DEBUG",
    output_action="append_row", environment=env, compute_target="cpu",
    process_count_per_node=2, node_count=1)
step = ParallelRunStep(
    name="score",
    parallel_run_config=config,
    inputs=[images.as_named_input("images")],
    side_inputs=[labels.as_named_input("labels")],
    arguments=["--threshold", threshold, "--mode", "fast"],
    allow_reuse=False)
`,
  });
  const r = await migrate(path.join(dir, 'v1.py'));
  assert.deepEqual(diagnosticsOf(r), []);
  const node = r.spec.jobs.score;
  assert.equal(node.mini_batch_size, 4);
  assert.equal(node.mini_batch_error_threshold, 3);
  assert.equal(node.retry_settings.max_retries, 4);
  assert.equal(node.retry_settings.timeout, 120);
  assert.equal(node.logging_level, 'DEBUG');
  assert.equal(node.is_deterministic, false);
  assert.equal(r.spec.inputs.images.path, 'azureml:digit-images:3');
  assert.equal(r.spec.inputs.labels.path, 'azureml:digit-labels@latest');
  assert.equal(r.spec.inputs.threshold, 0.5);
  assert.equal(
    node.task.program_arguments,
    '--threshold ${{inputs.threshold}} --mode fast --labels ${{inputs.labels}} --allowed_failed_percent 10',
  );
  assert.match(r.report, /os\.environ\.get\("BATCH"\): the default 4 is written/);
  assert.match(r.report, /5 tries = 4 retries/);
});

test('a whole v1 pipeline: PythonScriptStep → ParallelRunStep → PythonScriptStep, PipelineData bound between nodes', async () => {
  const dir = folderWith({
    'prep/prep.py': 'print(1)\n',
    'score/score.py': ENTRY,
    'report/show.py': 'print(2)\n',
    'v1.py': `
raw = Dataset.File.from_files(path="https://example.org/images/")
prepared = PipelineData("prepared", datastore=store)
scores = OutputFileDatasetConfig(name="scores")
run_config = RunConfiguration()
run_config.environment = env_prep
env_prep = Environment(name="prep")
env_prep.python.conda_dependencies = CondaDependencies.create(pip_packages=["numpy"])
prep = PythonScriptStep(name="prep-data", script_name="prep.py", source_directory="prep",
                        arguments=["--input", raw.as_named_input("raw").as_download(), "--output", prepared],
                        outputs=[prepared], runconfig=run_config, compute_target="cpu")
config = ParallelRunConfig(source_directory="score", entry_script="score.py", mini_batch_size=2,
                           output_action="append_row", environment=env_prep, compute_target="cpu")
score = ParallelRunStep(name="score", parallel_run_config=config, inputs=[prepared.as_input("images")], output=scores)
show = PythonScriptStep(name="show", script_name="show.py", source_directory="report",
                        arguments=["--scores", scores.as_input("scores")], compute_target="gpu")
pipeline = Pipeline(workspace=ws, steps=[show])
`,
  });
  const r = await migrate(path.join(dir, 'v1.py'));
  assert.deepEqual(diagnosticsOf(r), []);
  assert.deepEqual(Object.keys(r.spec.jobs), ['prep_data', 'score', 'show']);
  assert.equal(r.spec.jobs.prep_data.command, 'python prep.py --input ${{inputs.raw}} --output ${{outputs.prepared}}');
  assert.equal(r.spec.inputs.raw.mode, 'download');
  assert.equal(r.spec.jobs.score.inputs.images, '${{parent.jobs.prep_data.outputs.prepared}}');
  assert.equal(r.spec.jobs.show.inputs.scores, '${{parent.jobs.score.outputs.scores}}');
  assert.equal(r.spec.jobs.show.compute, 'azureml:gpu');
  assert.equal(r.spec.outputs, undefined);
  // One environment, one conda file, shared by both nodes; show had no runconfig: reported.
  assert.equal(r.spec.jobs.prep_data.environment.conda_file, './prep_data_conda.yml');
  assert.equal(r.spec.jobs.score.task.environment.conda_file, './prep_data_conda.yml');
  assert.ok(!existsSync(path.join(path.dirname(r.specFile), 'score_conda.yml')));
  assert.match(r.report, /PythonScriptStep without runconfig.*\*\*\(by hand\)\*\*/);
});

test('a tabular dataset in the cloud: the input is the data folder, the MLTable to put there is in the report', async () => {
  const dir = folderWith({
    'src/score.py': ENTRY,
    'v1.py': `
store = Datastore.get(ws, "sales_store")
table = Dataset.Tabular.from_delimited_files(path=[(store, "sales/*.csv")], header=True)
config = ParallelRunConfig(source_directory="src", entry_script="score.py", mini_batch_size="10MB",
    output_action="append_row", environment=Environment.get(ws, "env"), compute_target="cpu")
step = ParallelRunStep(name="score", parallel_run_config=config, inputs=[table.as_named_input("sales")])
`,
  });
  const r = await migrate(path.join(dir, 'v1.py'));
  assert.deepEqual(diagnosticsOf(r), []);
  assert.deepEqual(r.spec.inputs.sales, { type: 'mltable', path: 'azureml://datastores/sales_store/paths/sales/' });
  assert.match(
    r.report,
    /## MLTable files to create in the cloud[\s\S]*- pattern: azureml:\/\/datastores\/sales_store\/paths\/sales\/\*\.csv[\s\S]*read_delimited/,
  );
});

test("the tutorial's resubmission with pipeline_parameters becomes --set options", async () => {
  const r = await migrate(path.join(FIXTURES, 'tutorial-2020.ipynb'));
  assert.match(
    r.report,
    /--set inputs\.mnist_param\.type=uri_file --set inputs\.mnist_param\.path=azureml:\/\/datastores\/mnist_datastore\/paths\/mnist\/0\.png --set inputs\.batch_size_param=1 --set inputs\.process_count_param=1/,
  );
});

test('OutputFileDatasetConfig(destination=…) keeps its datastore path; Run.get_context and two models are entry-script changes', async () => {
  const dir = folderWith({
    'src/score.py': `from azureml.core import Model, Run
def init():
    global a, b
    a = Model.get_model_path("encoder")
    b = Model.get_model_path(model_name="decoder", version=2)
    Run.get_context().log("started", 1)
def run(mini_batch):
    return mini_batch
`,
    'v1.py': `
out = OutputFileDatasetConfig(name="scored", destination=(ws.get_default_datastore(), "scored/{run-id}"))
config = ParallelRunConfig(source_directory="src", entry_script="score.py", mini_batch_size=1,
                           output_action="append_row", environment=Environment.get(ws, "env"), compute_target="cpu")
step = ParallelRunStep(name="score", parallel_run_config=config, inputs=[Dataset.File.from_files("https://example.org/x/")], output=out)
`,
  });
  const r = await migrate(path.join(dir, 'v1.py'));
  assert.deepEqual(diagnosticsOf(r), []);
  assert.equal(r.spec.outputs.scored.path, 'azureml://datastores/workspaceblobstore/paths/scored/${{name}}');
  assert.deepEqual(r.spec.inputs.encoder_model, { type: 'custom_model', path: 'azureml:encoder@latest' });
  assert.deepEqual(r.spec.inputs.decoder_model, { type: 'custom_model', path: 'azureml:decoder:2' });
  assert.match(r.spec.jobs.score.task.program_arguments, /--encoder_model \$\{\{inputs\.encoder_model\}\}/);
  assert.match(r.report, /src\/score\.py:6: `Run\.get_context\(\)` — v2 jobs log with MLflow/);
});

test('a PythonScriptStep whose run configuration sets conda dependencies and an image gets that environment', async () => {
  const dir = folderWith({
    'prep/prep.py': 'print(1)\n',
    'v1.py': `
rc = RunConfiguration()
rc.environment.python.conda_dependencies = CondaDependencies.create(pip_packages=["pandas==2.1.0"], python_version="3.10")
rc.environment.docker.base_image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04"
prep = PythonScriptStep(name="prep", script_name="prep.py", source_directory="prep", runconfig=rc, compute_target="cpu")
`,
  });
  const r = await migrate(path.join(dir, 'v1.py'));
  assert.deepEqual(diagnosticsOf(r), []);
  const env = r.spec.jobs.prep.environment;
  assert.equal(env.image, 'mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04');
  const conda = parse(readFileSync(path.join(path.dirname(r.specFile), env.conda_file), 'utf8'));
  assert.deepEqual(conda.dependencies, ['python=3.10', 'pip', { pip: ['pandas==2.1.0'] }]);
});

test('environments from a requirements file and from a conda specification keep their packages and paths', async () => {
  const dir = folderWith({
    'src/score.py': ENTRY,
    'env/requirements.txt': '# scoring\nnumpy==1.26.4\n\npillow  # images\n',
    'env/conda.yml': 'name: x\ndependencies:\n  - python=3.10\n',
    'v1.py': `
pip_env = Environment.from_pip_requirements(name="scoring", file_path="env/requirements.txt")
conda_env = Environment.from_conda_specification(name="other", file_path="env/conda.yml")
config = ParallelRunConfig(source_directory="src", entry_script="score.py", mini_batch_size=1,
                           output_action="append_row", environment=pip_env, compute_target="cpu")
a = ParallelRunStep(name="a", parallel_run_config=config, inputs=[Dataset.File.from_files("https://example.org/x/")])
config_b = ParallelRunConfig(source_directory="src", entry_script="score.py", mini_batch_size=1,
                             output_action="append_row", environment=conda_env, compute_target="cpu")
b = ParallelRunStep(name="b", parallel_run_config=config_b, inputs=[Dataset.File.from_files("https://example.org/y/")])
`,
  });
  const r = await migrate(path.join(dir, 'v1.py'), path.join(dir, 'v2'));
  assert.deepEqual(diagnosticsOf(r), []);
  const pipEnv = r.spec.jobs.a.task.environment;
  const conda = parse(readFileSync(path.join(dir, 'v2', pipEnv.conda_file), 'utf8'));
  assert.deepEqual(conda.dependencies.at(-1), { pip: ['numpy==1.26.4', 'pillow'] });
  assert.equal(r.spec.jobs.b.task.environment.conda_file, '../env/conda.yml');
});

test('a file with no ParallelRunStep is refused with what to point at', async () => {
  const dir = folderWith({ 'v1.py': 'x = 1\n' });
  await assert.rejects(
    migrate(path.join(dir, 'v1.py')),
    (e: Error) => e instanceof MigrateError && /no ParallelRunStep\(\.\.\.\) or PythonScriptStep\(\.\.\.\) call found/.test(e.message),
  );
});

test('an unparsable notebook cell is named in the report; the other cells still convert', async () => {
  const nb = JSON.parse(readFileSync(path.join(FIXTURES, 'tutorial-2020.ipynb'), 'utf8'));
  nb.cells.splice(2, 0, { cell_type: 'code', metadata: {}, outputs: [], execution_count: null, source: ['print("unclosed\n'] });
  const dir = folderWith({ 'nb.ipynb': JSON.stringify(nb) });
  const r = await migrate(path.join(dir, 'nb.ipynb'));
  assert.match(r.report, /nb\.ipynb, cell 3, line 1: not read/);
  assert.ok(r.spec.jobs.predict_digits_mnist);
});

test('existing files are not overwritten', async () => {
  const out = path.join(tmp(), 'v2');
  await migrate(path.join(FIXTURES, 'tutorial-2020.ipynb'), out);
  await assert.rejects(migrate(path.join(FIXTURES, 'tutorial-2020.ipynb'), out), /already exist/);
});

test('v1 step names become v2 identifiers', () => {
  assert.equal(v2NodeName('predict-digits-mnist'), 'predict_digits_mnist');
  assert.equal(v2NodeName('Score step.v2'), 'score_step_v2');
  assert.equal(v2NodeName('3d-scan'), 'step_3d_scan');
});
