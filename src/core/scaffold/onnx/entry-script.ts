/**
 * The entry script generated for a model: onnxruntime with the model's real tensor names and shapes, one
 * session call per mini-batch, one keyed row per input. The model preview (preview.ts) computes the same
 * inputs from the same plan, so the two agree item for item.
 */
import { batchedInput, inputDtype, itemShape, type ModelPlan } from './plan';

const py = (s: string) => JSON.stringify(s);
const pyList = (xs: readonly (string | number)[]) => `[${xs.map((x) => (typeof x === 'string' ? py(x) : String(x))).join(', ')}]`;

/** The text of the entry script for `plan`; `name` is the script's module name (for its docstring). */
export function onnxEntryScript(plan: ModelPlan, name: string): string {
  const batched = batchedInput(plan.input);
  const reader = plan.kind === 'images' ? imageReader(plan) : plan.kind === 'arrays' ? arrayReader(plan) : '';
  const what = plan.kind === 'images' ? 'image file' : plan.kind === 'arrays' ? '.npy file' : 'table row';
  return `"""${name}.py: batch inference with the ONNX model ${plan.modelFileName} in an Azure ML parallel job.

Generated from the model's own signature: input ${py(plan.input.name)} (${plan.input.elementType} ${shapeText(plan.input.shape)}),
output ${py(plan.output.name)} (${plan.output.elementType} ${shapeText(plan.output.shape)}).
init() loads the model once per worker process; run(mini_batch) ${batched ? 'scores the whole mini-batch in one session call' : 'scores each item in its own session call (the model takes a batch of 1)'} and returns one row per ${what}, keyed so rows from every worker can be matched to their inputs.
"""

import argparse
import os

import numpy as np
import onnxruntime as ort
${plan.kind === 'images' ? 'from PIL import Image\n' : ''}${plan.kind === 'tabular' ? 'import pandas as pd\n' : ''}
MODEL_FILE_NAME = ${py(plan.modelFileName)}
INPUT_NAME = ${py(plan.input.name)}
OUTPUT_NAME = ${py(plan.output.name)}
DTYPE = np.${inputDtype(plan)}
${constants(plan)}
g_session = None  # one onnxruntime session per worker process, made by init()


def init():
    global g_session
    # The driver passes its own arguments on too (--append_row_file_name, ...): parse only --model.
    parser = argparse.ArgumentParser(description=${py(`Score inputs with ${plan.modelFileName}.`)})
    parser.add_argument("--model", required=True, help="the folder holding ${plan.modelFileName}, or the file itself")
    args, _unknown = parser.parse_known_args()
    model_path = args.model
    if os.path.isdir(model_path):
        # A uri_folder input arrives as the folder's path (mounted or downloaded in the cloud).
        model_path = os.path.join(model_path, MODEL_FILE_NAME)
    g_session = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])

${reader}${answer(plan)}
${runFunction(plan, batched)}`;
}

function shapeText(shape: readonly (number | string)[] | undefined): string {
  return shape ? `[${shape.join(', ')}]` : 'of any shape';
}

function constants(plan: ModelPlan): string {
  const lines: string[] = [];
  if (plan.kind === 'images' && plan.image) {
    const img = plan.image;
    lines.push(`IMAGE_SIZE = (${img.width}, ${img.height})  # (width, height), as PIL's resize() takes it`);
    lines.push(`IMAGE_MODE = ${py(img.channels === 1 ? 'L' : 'RGB')}  # ${img.channels === 1 ? 'grayscale' : 'red, green, blue'}`);
    lines.push(`PIXEL_SCALE = ${num(img.scale)}  # pixels 0..255 are divided by this`);
    lines.push(`MEAN = ${img.mean ? `np.array(${pyList(img.mean.map(num))}, dtype=DTYPE)` : 'None'}  # per channel, after scaling`);
    lines.push(`STD = ${img.std ? `np.array(${pyList(img.std.map(num))}, dtype=DTYPE)` : 'None'}`);
    lines.push(`LAYOUT = ${py(img.layout)}  # one image in the input tensor: ${layoutText(img.layout)}, shape ${pyList(itemShape(img))}`);
  }
  if (plan.kind === 'arrays') {
    const item = plan.input.shape?.slice(1);
    lines.push(
      `ITEM_SHAPE = ${item && item.every((d) => typeof d === 'number') ? `(${item.join(', ')}${item.length === 1 ? ',' : ''})` : 'None'}  # one item without the batch dimension`,
    );
  }
  if (plan.kind === 'tabular') {
    lines.push(`KEY_COLUMN = ${py(plan.keyColumn ?? 'row_id')}  # names each row in the results`);
    lines.push(
      `FEATURE_COLUMNS = ${plan.columns && plan.columns.length > 0 ? pyList(plan.columns) : 'None'}  # in the model's order; None: every column but the key`,
    );
  }
  if (plan.outputMode === 'classes')
    lines.push(
      `CLASS_NAMES = ${plan.classNames && plan.classNames.length > 0 ? pyList(plan.classNames) : 'None'}  # None: the class index is the label`,
    );
  return lines.join('\n') + '\n';
}

function num(n: number): number | string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

function layoutText(layout: string): string {
  return (
    { flat: 'rows of pixels end to end', nchw: 'channels, height, width', nhwc: 'height, width, channels', nhw: 'height, width' } as Record<
      string,
      string
    >
  )[layout];
}

function imageReader(plan: ModelPlan): string {
  const img = plan.image!;
  const shape =
    img.layout === 'flat'
      ? 'pixels.reshape(-1)'
      : img.layout === 'nchw'
        ? `pixels.reshape(${img.height}, ${img.width}, ${img.channels}).transpose(2, 0, 1)`
        : img.layout === 'nhwc'
          ? `pixels.reshape(${img.height}, ${img.width}, ${img.channels})`
          : 'pixels';
  return `
def preprocess(path):
    """One image as the model's input: ${img.channels === 1 ? 'grayscale' : 'RGB'}, resized to ${img.width}x${img.height} (BOX: each pixel the average of what it covers), scaled${img.mean ? ', normalised' : ''}."""
    with Image.open(path) as image:
        resized = image.convert(IMAGE_MODE).resize(IMAGE_SIZE, Image.Resampling.BOX)
    pixels = np.asarray(resized, dtype=DTYPE) / DTYPE(PIXEL_SCALE)
    if MEAN is not None:
        pixels = (pixels - MEAN) / STD
    return ${shape}
`;
}

function arrayReader(_plan: ModelPlan): string {
  return `
def preprocess(path):
    """One .npy file as one item of the model's input (allow_pickle=False: a data file never runs code)."""
    item = np.load(path, allow_pickle=False).astype(DTYPE)
    return item.reshape(ITEM_SHAPE) if ITEM_SHAPE is not None else item
`;
}

function answer(plan: ModelPlan): string {
  if (plan.outputMode === 'classes') {
    return `
def answer(scores):
    """The label and its score from one item's per-class scores."""
    index = int(np.argmax(scores))
    label = CLASS_NAMES[index] if CLASS_NAMES is not None else index
    return "{} {:.4f}".format(label, float(scores[index]))
`;
  }
  if (plan.outputMode === 'label') {
    return `
def answer(value):
    """The model's own label for one item."""
    value = np.asarray(value).reshape(-1)[0]
    return value.decode() if isinstance(value, bytes) else str(value.item() if hasattr(value, "item") else value)
`;
  }
  return `
def answer(values):
    """One item's raw output values, rounded to 6 digits."""
    return " ".join("{:.6g}".format(float(v)) for v in np.asarray(values).reshape(-1))
`;
}

function runFunction(plan: ModelPlan, batched: boolean): string {
  const call = batched
    ? `    (outputs,) = g_session.run([OUTPUT_NAME], {INPUT_NAME: batch})`
    : `    # The model's batch dimension is fixed at 1: one call per item.
    outputs = [g_session.run([OUTPUT_NAME], {INPUT_NAME: batch[i : i + 1]})[0][0] for i in range(len(batch))]`;
  if (plan.kind === 'tabular') {
    return `
def run(mini_batch):
    """mini_batch: a pandas DataFrame of rows. Returns one "key: answer" row per input row."""
    if len(mini_batch) == 0:
        return []
    columns = FEATURE_COLUMNS or [c for c in mini_batch.columns if c != KEY_COLUMN]
    batch = mini_batch[columns].to_numpy(dtype=DTYPE)
${call}
    keys = mini_batch[KEY_COLUMN] if KEY_COLUMN in mini_batch.columns else mini_batch.index
    return ["{}: {}".format(key, answer(out)) for key, out in zip(keys, outputs)]
`;
  }
  return `
def run(mini_batch):
    """mini_batch: a list of file paths. Returns one "file name: answer" row per file."""
    if len(mini_batch) == 0:
        return []
    # A file that cannot be read raises: the mini-batch fails, is retried, then counts against error_threshold.
    batch = np.stack([preprocess(path) for path in mini_batch]).astype(DTYPE, copy=False)
${call}
    return ["{}: {}".format(os.path.basename(path), answer(out)) for path, out in zip(mini_batch, outputs)]
`;
}
