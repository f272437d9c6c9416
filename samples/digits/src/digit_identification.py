"""Entry script of the digits sample: identify the handwritten digit in each PNG of a mini-batch.

It follows the contract of an Azure ML parallel job (ParallelRunStep in v1), like the tutorial's
digit_identification.py:

- init() runs once in every worker process, before its first mini-batch: the place for expensive set-up
  such as loading the model.
- run(mini_batch) gets a list of file paths (the input is a folder of files, so mini_batch_size counts
  files) and returns one row per input file. With append_row, every row becomes one line of
  mnist_outputs.txt; rows from all workers arrive in no particular order, so each row names its file.
- shutdown() runs once when the worker gets no more work.

The model is a tiny neural network trained by make_data.py and stored as plain numpy arrays, so this
script needs only numpy and Pillow.
"""

import argparse
import os

import numpy as np
from PIL import Image

# The parallel-run driver provides this module; it is not on PyPI. Its logger writes to
# logs/user/entry_script_log/<node>/<process>.log.txt, where the job's other logs are.
from azureml_user.parallel_run import EntryScript

MODEL_FILE_NAME = "digits_model.npz"

g_model = None  # loaded once per worker process by init()


def init():
    global g_model

    # sys.argv holds the driver's own options (--mini_batch_size, --error_threshold, ...), then the node's
    # program_arguments (--model <path>), then --input_fds_0 <input folder>: parse only what this script
    # knows and ignore the others.
    parser = argparse.ArgumentParser(description="Identify handwritten digits in PNG images.")
    parser.add_argument("--model", required=True, help="folder holding digits_model.npz (or the file itself)")
    args, _unknown = parser.parse_known_args()

    model_path = args.model
    if os.path.isdir(model_path):
        # A uri_folder input arrives as the path of the folder (mounted or downloaded in the cloud).
        model_path = os.path.join(model_path, MODEL_FILE_NAME)

    # allow_pickle=False: the file holds plain arrays only, and refusing pickles means a model file can
    # never run code on the cluster.
    with np.load(model_path, allow_pickle=False) as npz:
        g_model = {name: npz[name] for name in npz.files}

    logger = EntryScript().logger
    logger.info(
        "Loaded %s: %d-pixel input, %d hidden units, classes %s",
        model_path,
        g_model["W1"].shape[0],
        g_model["W1"].shape[1],
        g_model["classes"].tolist(),
    )


def preprocess(image_path):
    """Turn a PNG into the model's input: grayscale, shrunk to the model's size, pixels from 0 to 1."""
    height, width = (int(n) for n in g_model["input_shape"])
    with Image.open(image_path) as image:
        # convert("L") accepts RGB or palette PNGs too; BOX averages the pixels each model pixel covers,
        # which is how make_data.py prepared the training images.
        small = image.convert("L").resize((width, height), Image.Resampling.BOX)
    return np.asarray(small, dtype=np.float64).ravel() / float(g_model["pixel_max"])


def predict(features):
    """Forward pass of the network: ReLU hidden layer, then the class with the highest score.

    The largest output score is also the largest softmax probability, so softmax is not needed here.
    """
    hidden = np.maximum(features @ g_model["W1"] + g_model["b1"], 0.0)
    scores = hidden @ g_model["W2"] + g_model["b2"]
    return g_model["classes"][np.argmax(scores, axis=-1)]


def run(mini_batch):
    print(f"run method start: {__file__}, run({mini_batch})")
    result_list = []

    for image_path in mini_batch:
        digit = predict(preprocess(image_path))
        # One row per input, and the row names its file: the rows of all workers are concatenated in no
        # particular order, so the file name is the key that maps a prediction back to its image.
        result_list.append("{}: {}".format(os.path.basename(image_path), int(digit)))

    # An image that cannot be read raises, which fails this mini-batch (it is retried, then counted
    # against error_threshold). Returning fewer rows than inputs would count the missing ones as failed.
    return result_list


def shutdown():
    EntryScript().logger.info("digit_identification: no more mini-batches, worker shutting down")
