/** The entry script for a tabular input (mltable): run() gets a pandas DataFrame of rows. */
import { pythonString } from './names';
import { modelLoadingInit } from './model-init';

export interface TabularEntryScriptParams {
  name: string;
  /** Read a `--model` argument in init() and load the model once into a global. */
  modelArg: boolean;
  /** The column that identifies a row; it leads every output row. */
  keyColumn: string;
}

export function tabularEntryScript({ name, modelArg, keyColumn }: TabularEntryScriptParams): string {
  return `"""${name}: the entry script of an Azure ML parallel job over a table (ParallelRunStep v2).

How the parallel-run driver uses this file:

- init() runs once in every worker process, before its first mini-batch: do the expensive set-up there
  (load the model) once, and keep it in a global.
- run(mini_batch) gets a pandas DataFrame holding about mini_batch_size bytes of rows of one file of the
  MLTable input (a mini-batch never spans two files), and returns one result per row, as a DataFrame or
  a list. Never None: any other return type fails the mini-batch. Fewer results than rows count the
  missing ones as failed items.
- shutdown() (optional) runs once when the worker gets no more work.

With append_row, the driver writes a returned DataFrame with to_csv(sep=" ", header=False, index=False):
one line per row, values separated by spaces, so keep spaces out of the values or change the separator in
a parallel_run_step.settings.json next to this script:
{"append_row": {"pandas.DataFrame.to_csv": {"sep": ","}}}
"""

import argparse

import pandas as pd

# The parallel-run driver provides this module; it is not on PyPI (the local engine provides it too).
# Its logger writes to logs/user/entry_script_log/<node>/<process>.log.txt, beside the job's other logs.
from azureml_user.parallel_run import EntryScript

g_args = None  # this script's own arguments, parsed once per worker by init()
${modelArg ? 'g_model = None  # loaded once per worker process by init()\n' : ''}

def init():
    global ${modelArg ? 'g_args, g_model' : 'g_args'}

    # The driver reads its own options (--append_row_file_name, --allowed_failed_percent, ...) from
    # program_arguments and passes everything on in sys.argv. parse_known_args() takes this script's
    # options and ignores the driver's, where parse_args() would stop the worker on them.
    parser = argparse.ArgumentParser(description=${pythonString(`${name}: the entry script of a parallel job`)})
    parser.add_argument("--key_column", default=${pythonString(keyColumn)}, help="the column that identifies a row")
${
  modelArg
    ? modelLoadingInit()
    : `    g_args, _unknown = parser.parse_known_args()

    # Load a model or open a connection here: once per worker, into a global, not in run().
    EntryScript().logger.info("init: ready")`
}


def predict(rows):
    """One result per row of \`rows\`, in the same order. Replace the body with your own work."""
    return rows.notna().sum(axis=1)


def run(mini_batch):
    key = g_args.key_column
    if key not in mini_batch.columns:
        # Without a key the output rows cannot be traced back to their inputs: fail rather than guess.
        raise ValueError(
            f"column {key!r} is not in the mini-batch (columns: {list(mini_batch.columns)}); "
            "pass --key_column <column> in program_arguments"
        )
    logger = EntryScript().logger
    logger.debug("run: %d rows, %s %s to %s", len(mini_batch), key, mini_batch[key].min(), mini_batch[key].max())

    # One row per input row, the key first: the driver appends the rows of all workers to one file in no
    # particular order, so the key is what maps a result back to its input row.
    return pd.DataFrame({key: mini_batch[key].to_numpy(), "result": predict(mini_batch).to_numpy()})


def shutdown():
    EntryScript().logger.info("shutdown: no more mini-batches for this worker")
`;
}
