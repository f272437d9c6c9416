/** The entry script for a file input (uri_folder / uri_file): run() gets a list of file paths. */
import { pythonString } from './names';
import { modelLoadingInit } from './model-init';

export interface FilesEntryScriptParams {
  name: string;
  /** Read a `--model` argument in init() and load the model once into a global. */
  modelArg: boolean;
}

export function filesEntryScript({ name, modelArg }: FilesEntryScriptParams): string {
  return `"""${name}: the entry script of an Azure ML parallel job over files (ParallelRunStep v2).

How the parallel-run driver uses this file:

- init() runs once in every worker process, before its first mini-batch: do the expensive set-up there
  (load the model) once, and keep it in a global.
- run(mini_batch) gets a list of file paths (mini_batch_size counts files) and returns one result per
  file, as a list or a pandas DataFrame. Never None: any other return type fails the mini-batch. Fewer
  results than files count the missing ones as failed items.
- shutdown() (optional) runs once when the worker gets no more work.

Each worker runs in its own working directory, not in this folder: open files that sit next to this
script with os.path.join(SCRIPT_DIR, ...).
"""

import argparse
import os

# The parallel-run driver provides this module; it is not on PyPI (the local engine provides it too).
# Its logger writes to logs/user/entry_script_log/<node>/<process>.log.txt, beside the job's other logs.
from azureml_user.parallel_run import EntryScript

SCRIPT_DIR = os.path.dirname(os.path.realpath(__file__))

g_args = None  # this script's own arguments, parsed once per worker by init()
${modelArg ? 'g_model = None  # loaded once per worker process by init()\n' : ''}

def init():
    global ${modelArg ? 'g_args, g_model' : 'g_args'}

    # The driver reads its own options (--append_row_file_name, --allowed_failed_percent, ...) from
    # program_arguments and passes everything on in sys.argv. parse_known_args() takes this script's
    # options and ignores the driver's, where parse_args() would stop the worker on them.
    parser = argparse.ArgumentParser(description=${pythonString(`${name}: the entry script of a parallel job`)})
${
  modelArg
    ? modelLoadingInit()
    : `    # Add this script's own options here and pass them in program_arguments, e.g.
    # parser.add_argument("--threshold", type=float, default=0.5) with "--threshold 0.7".
    g_args, _unknown = parser.parse_known_args()

    # Load a model or open a connection here: once per worker, into a global, not in run().
    EntryScript().logger.info("init: ready")`
}


def process(file_path):
    """The result for one input file. Replace the body with your own work."""
    return os.path.getsize(file_path)


def run(mini_batch):
    logger = EntryScript().logger
    logger.debug("run: %d files", len(mini_batch))

    results = []
    for file_path in mini_batch:
        # One row per input, starting with the file's name: the driver appends the rows of all workers to
        # one file in no particular order, so the name is the key that maps a result back to its input.
        results.append(f"{os.path.basename(file_path)}: {process(file_path)}")

    # An exception fails the whole mini-batch: it is retried (retry_settings.max_retries), then counted
    # against error_threshold. Return the list even when it is empty, never None.
    return results


def shutdown():
    EntryScript().logger.info("shutdown: no more mini-batches for this worker")
`;
}
