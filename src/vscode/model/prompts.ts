/**
 * The questions "New Entry Script from Model…" and "Preview Model on Sample…" ask: only what the model
 * does not say. Each answer has a default taken from the model; Escape cancels (undefined).
 * They go through prompt-chain.ts, so that each keeps the keyboard focus when the model view (a webview) is the
 * active tab.
 */
import * as vscode from 'vscode';
import {
  inspectModelFile,
  planProblems,
  suggestImage,
  suggestOutputMode,
  type ImagePreprocessing,
  type ModelInfo,
  type ModelPlan,
  type OutputMode,
} from '../../core/scaffold/onnx';
import { formatShape } from '../../core/scaffold/onnx';
import { askInput, askPick, closePrompts } from './prompt-chain';

/** The model the command was invoked on, or one the user picks from the workspace's .onnx files. */
export async function pickModel(target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (target && target.fsPath.toLowerCase().endsWith('.onnx')) return target;
  const found = await vscode.workspace.findFiles('**/*.onnx', '**/node_modules/**', 200);
  const items = found.sort((a, b) => a.fsPath.localeCompare(b.fsPath)).map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri }));
  const browse = { label: '$(folder-opened) Browse…', uri: undefined as vscode.Uri | undefined };
  const pick = await askPick([...items, browse], {
    title: 'Pick an ONNX model',
    placeHolder: items.length ? 'A model of this workspace' : 'No .onnx file in this workspace: browse for one',
  });
  if (!pick) return undefined;
  if (pick.uri) return pick.uri;
  closePrompts();
  const chosen = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { 'ONNX models': ['onnx'] },
    title: 'Pick an ONNX model',
  });
  return chosen?.[0];
}

export function inspect(uri: vscode.Uri): ModelInfo {
  return inspectModelFile(uri.fsPath);
}

/** Asks for a plan for `info`; `kinds` limits the input kinds offered (the preview reads no tables). */
export async function askPlan(
  info: ModelInfo,
  modelFileName: string,
  kinds: ModelPlan['kind'][] = ['images', 'tabular', 'arrays'],
): Promise<ModelPlan | undefined> {
  const input = info.inputs[0];
  if (!input) throw new Error(`${info.file} has no inputs.`);
  const kindItems = [
    { label: 'Image files', description: 'PNG, JPEG… one image per file', inputKind: 'images' as const },
    { label: 'Tabular rows', description: 'an MLTable of CSV or Parquet files, one row per item', inputKind: 'tabular' as const },
    { label: 'Other files (.npy arrays)', description: 'one array per file, saved with np.save', inputKind: 'arrays' as const },
  ].filter((k) => kinds.includes(k.inputKind));
  const kind = await askPick(kindItems, {
    title: `What does ${modelFileName} read? (input ${input.name}: ${input.elementType} ${formatShape(input.shape)})`,
  });
  if (!kind) return undefined;
  let output = info.outputs[0];
  if (info.outputs.length > 1) {
    const pick = await askPick(
      info.outputs.map((o) => ({ label: o.name, description: `${o.elementType} ${formatShape(o.shape)}`, output: o })),
      { title: 'Which output holds the answer (the label or the per-class scores)?' },
    );
    if (!pick) return undefined;
    output = pick.output;
  }
  const plan: ModelPlan = { kind: kind.inputKind, modelFileName, input, output, outputMode: suggestOutputMode(output) };
  if (kind.inputKind === 'images') {
    const image = await askImage(suggestImage(input), input.shape ? formatShape(input.shape) : 'any shape');
    if (!image) return undefined;
    plan.image = image;
  }
  if (kind.inputKind === 'tabular') {
    const key = await askInput({ title: 'The column that names each row in the results', value: 'row_id' });
    if (key === undefined) return undefined;
    const columns = await askInput({
      title: 'Feature columns in the order the model takes them (comma-separated; empty: every column but the key)',
      value: '',
    });
    if (columns === undefined) return undefined;
    plan.keyColumn = key.trim() || 'row_id';
    plan.columns = columns
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
  }
  const modes: { label: string; mode: OutputMode }[] = [
    { label: 'Per-class scores: the label is the top class', mode: 'classes' },
    { label: 'The label itself', mode: 'label' },
    { label: 'Raw values: write them as they are', mode: 'raw' },
  ];
  const suggested = modes.find((m) => m.mode === plan.outputMode)!;
  const mode = await askPick([suggested, ...modes.filter((m) => m !== suggested)], {
    title: `What is in ${output.name} (${output.elementType} ${formatShape(output.shape)})?`,
  });
  if (!mode) return undefined;
  plan.outputMode = mode.mode;
  if (mode.mode === 'classes') {
    const names = await askInput({
      title: 'Class names, in index order (comma-separated; empty: the class index is the label)',
      value: '',
    });
    if (names === undefined) return undefined;
    const list = names
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean);
    if (list.length) plan.classNames = list;
  }
  const problems = planProblems(info, plan);
  if (problems.length) throw new Error(problems.join(' '));
  return plan;
}

async function askImage(suggested: ImagePreprocessing, shapeText: string): Promise<ImagePreprocessing | undefined> {
  const describe = (i: ImagePreprocessing) => `${i.width}x${i.height} ${i.channels === 1 ? 'grayscale' : 'RGB'}, ${i.layout.toUpperCase()}`;
  const size = await askInput({
    title: `Image size and channels for input ${shapeText}`,
    prompt: "WIDTHxHEIGHT, then gray or rgb, then the layout (flat, nchw, nhwc or nhw). Suggested from the model's shape.",
    value: `${suggested.width}x${suggested.height} ${suggested.channels === 1 ? 'gray' : 'rgb'} ${suggested.layout}`,
    validateInput: (v) => (parseImage(v) ? undefined : 'Write e.g. 224x224 rgb nchw or 8x8 gray flat'),
  });
  if (size === undefined) return undefined;
  const image = { ...suggested, ...parseImage(size)! };
  const norms = [
    { label: 'Pixels 0..1 (divide by 255)', scale: 255 },
    { label: 'Pixels 0..255 as they are', scale: 1 },
    { label: 'ImageNet: 0..1, then (x - mean) / std per channel', scale: 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  ];
  const norm = await askPick(norms, { title: `Normalisation of ${describe(image)} images` });
  if (!norm) return undefined;
  image.scale = norm.scale;
  if (norm.mean) {
    image.mean = image.channels === 1 ? [0.449] : norm.mean;
    image.std = image.channels === 1 ? [0.226] : norm.std;
  } else {
    delete image.mean;
    delete image.std;
  }
  return image;
}

function parseImage(text: string): Pick<ImagePreprocessing, 'width' | 'height' | 'channels' | 'layout'> | undefined {
  const m = /^\s*(\d+)\s*x\s*(\d+)\s+(gray|grey|l|rgb)\s+(flat|nchw|nhwc|nhw)\s*$/i.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) return undefined;
  return {
    width: Number(m[1]),
    height: Number(m[2]),
    channels: /rgb/i.test(m[3]) ? 3 : 1,
    layout: m[4].toLowerCase() as ImagePreprocessing['layout'],
  };
}
