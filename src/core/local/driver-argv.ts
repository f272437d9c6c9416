/**
 * The entry script's `sys.argv[1:]`: what the PRS driver passes. The driver is started with its own options,
 * then the node's program_arguments, then one option per input; its argparse keeps every argument and the
 * worker processes get the same list, so scripts read their options with `parse_known_args()` (a script
 * that calls `parse_args()` fails in the cloud on the driver's options, and fails here the same way).
 * Modelled on the list azureml-pipeline-steps builds for `driver/amlbi_main.py` (ParallelRunStep
 * `_generate_main_file_args`), with this run's values; `--client_sdk_version` is left out (no SDK runs here).
 */
import type { ParallelJob } from '../spec/types';

export function entryScriptArgv(job: ParallelJob, programArguments: string[], outputDir: string | undefined): string[] {
  const argv = [
    '--scoring_module_name',
    job.task.entryScript,
    '--mini_batch_size',
    String(job.miniBatchSize),
    '--error_threshold',
    String(job.errorThreshold),
    '--output_action',
    job.task.appendRowTo ? 'append_row' : 'summary_only',
    '--logging_level',
    job.loggingLevel,
    '--run_invocation_timeout',
    String(job.retrySettings.timeout),
    '--run_max_try',
    String(job.retrySettings.maxRetries + 1),
    '--allowed_failed_count',
    String(job.miniBatchErrorThreshold),
  ];
  if (outputDir) argv.push('--output', outputDir);
  argv.push('--process_count_per_node', String(job.maxConcurrencyPerInstance));
  argv.push(...programArguments);
  argv.push(job.inputData.kind === 'tabular' ? '--input_ds_0' : '--input_fds_0', job.inputData.path);
  return argv;
}
