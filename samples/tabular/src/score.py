"""Entry script of the tabular sample: predict the species of every iris in a mini-batch of rows.

The input is an MLTable (CSV files), so each mini-batch is a pandas DataFrame holding about
mini_batch_size bytes of one file's rows; a mini-batch never spans two files.

- init() runs once in every worker process and loads the model.
- run(mini_batch) returns a DataFrame with one row per input row. With append_row, the driver writes it
  with DataFrame.to_csv(sep=" ", header=False, index=False), so every line of iris_scores.txt reads
  "<row_id> <predicted_species> <probability>". Rows from all workers arrive in no particular order:
  row_id is the key that maps each prediction back to its input row.

The model is a logistic regression trained by make_data.py and stored as plain numpy arrays, so scoring
needs only numpy and pandas.
"""

import argparse
import os

import numpy as np
import pandas as pd

# The parallel-run driver provides this module; it is not on PyPI. Its logger writes to
# logs/user/entry_script_log/<node>/<process>.log.txt.
from azureml_user.parallel_run import EntryScript

MODEL_FILE_NAME = "iris_model.npz"

g_model = None  # loaded once per worker process by init()


def init():
    global g_model

    # The driver passes on the arguments it does not know itself; take --model and ignore the rest.
    parser = argparse.ArgumentParser(description="Score iris measurements.")
    parser.add_argument("--model", required=True, help="folder holding iris_model.npz (or the file itself)")
    args, _unknown = parser.parse_known_args()

    model_path = args.model
    if os.path.isdir(model_path):
        model_path = os.path.join(model_path, MODEL_FILE_NAME)
    # Plain arrays only: refusing pickles means the model file cannot run code on the cluster.
    with np.load(model_path, allow_pickle=False) as npz:
        g_model = {name: npz[name] for name in npz.files}

    EntryScript().logger.info(
        "Loaded %s: features %s, classes %s",
        model_path,
        g_model["feature_names"].tolist(),
        g_model["classes"].tolist(),
    )


def run(mini_batch):
    features = [str(name) for name in g_model["feature_names"]]
    logger = EntryScript().logger
    logger.debug(
        "scoring %d rows, row_id %s to %s", len(mini_batch), mini_batch["row_id"].min(), mini_batch["row_id"].max()
    )

    # A row with a missing measurement gets no prediction. Leaving it out of the result makes the driver
    # count it as a failed item (returned rows < input rows), which is what error_threshold is for.
    complete = mini_batch.dropna(subset=features)
    if len(complete) < len(mini_batch):
        skipped = mini_batch.loc[~mini_batch.index.isin(complete.index), "row_id"].tolist()
        logger.warning("no prediction for %d rows with missing measurements: row_id %s", len(skipped), skipped)

    x = complete[features].to_numpy(dtype=np.float64)
    scores = ((x - g_model["mean"]) / g_model["scale"]) @ g_model["coef"].T + g_model["intercept"]
    # Softmax, shifted by each row's maximum so that exp() cannot overflow.
    scores -= scores.max(axis=1, keepdims=True)
    probabilities = np.exp(scores)
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    best = probabilities.argmax(axis=1)

    return pd.DataFrame(
        {
            "row_id": complete["row_id"].to_numpy(),
            "predicted_species": g_model["classes"][best],
            "probability": probabilities[np.arange(len(best)), best].round(4),
        }
    )
