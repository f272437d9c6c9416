/**
 * A model plan: what the generated entry script and the model preview both do with a model — which input
 * they feed, how an image, a table row or an array becomes that input, and which output is the answer.
 * The model answers what it can (names, element types, shapes); the plan holds the rest the user chose.
 */
import type { Dim, ModelInfo, TensorInfo } from './inspect';

export type ModelInputKind = 'images' | 'tabular' | 'arrays';

/** How one image's pixels are laid out in the model's input tensor (after the batch dimension). */
export type ImageLayout = 'flat' | 'nchw' | 'nhwc' | 'nhw';

export interface ImagePreprocessing {
  width: number;
  height: number;
  /** 1: grayscale (PIL mode L), 3: RGB. */
  channels: 1 | 3;
  layout: ImageLayout;
  /** Pixels (0..255) are divided by this: 255 gives 0..1, 1 keeps 0..255. */
  scale: number;
  /** Per-channel normalisation after scaling: (x - mean) / std. */
  mean?: number[];
  std?: number[];
}

/** classes: the output holds one score per class (argmax is the label); label: it holds the label; raw: shown as is. */
export type OutputMode = 'classes' | 'label' | 'raw';

export interface ModelPlan {
  kind: ModelInputKind;
  /** The model file's name, e.g. digits.onnx (the script finds it in the --model folder). */
  modelFileName: string;
  input: TensorInfo;
  output: TensorInfo;
  outputMode: OutputMode;
  image?: ImagePreprocessing;
  /** Tabular: the feature columns in the model's order; empty means every column but the key. */
  columns?: string[];
  /** Tabular: the column that identifies a row in the results. */
  keyColumn?: string;
  /** Names for class indices 0..K-1 (classes mode). */
  classNames?: string[];
}

const FLOATS = new Set(['float32', 'float64']);

/** The plan's numpy dtype for the input tensor. */
export function inputDtype(plan: ModelPlan): 'float32' | 'float64' {
  return plan.input.elementType === 'float64' ? 'float64' : 'float32';
}

/** True when the model's first dimension takes a whole mini-batch (symbolic or unknown), false when it is fixed. */
export function batchedInput(input: TensorInfo): boolean {
  const first = input.shape?.[0];
  return first === undefined || typeof first === 'string' || first !== 1;
}

/** What the model's input shape suggests for images: layout, size and channels (the user confirms). */
export function suggestImage(input: TensorInfo): ImagePreprocessing {
  const s = input.shape ?? [];
  const n = (d: Dim | undefined) => (typeof d === 'number' && d > 0 ? d : undefined);
  const base = { scale: 255 } as const;
  if (s.length === 4 && (n(s[1]) === 1 || n(s[1]) === 3)) {
    return { ...base, layout: 'nchw', channels: n(s[1]) as 1 | 3, height: n(s[2]) ?? 224, width: n(s[3]) ?? 224 };
  }
  if (s.length === 4) return { ...base, layout: 'nhwc', channels: n(s[3]) === 1 ? 1 : 3, height: n(s[1]) ?? 224, width: n(s[2]) ?? 224 };
  if (s.length === 3) return { ...base, layout: 'nhw', channels: 1, height: n(s[1]) ?? 28, width: n(s[2]) ?? 28 };
  const size = n(s[1]);
  const side = size ? Math.round(Math.sqrt(size)) : 28;
  if (size && side * side === size) return { ...base, layout: 'flat', channels: 1, width: side, height: side };
  const rgbSide = size ? Math.round(Math.sqrt(size / 3)) : 0;
  if (size && rgbSide * rgbSide * 3 === size) return { ...base, layout: 'flat', channels: 3, width: rgbSide, height: rgbSide };
  return { ...base, layout: 'flat', channels: 1, width: side, height: side };
}

/** What the output's shape and type suggest: per-class scores, a label, or raw values. */
export function suggestOutputMode(output: TensorInfo): OutputMode {
  const s = output.shape;
  if (output.elementType.startsWith('int') || output.elementType === 'string') return s && s.length <= 1 ? 'label' : 'raw';
  if (FLOATS.has(output.elementType) && s && s.length === 2) return 'classes';
  return 'raw';
}

/** Problems that keep a plan from working with this model, each a sentence with its fix; empty when fine. */
export function planProblems(model: ModelInfo, plan: ModelPlan): string[] {
  const problems: string[] = [];
  const others = model.inputs.filter((i) => i.name !== plan.input.name);
  if (!model.inputs.some((i) => i.name === plan.input.name)) problems.push(`The model has no input named "${plan.input.name}".`);
  if (others.length > 0) {
    problems.push(
      `The model has ${model.inputs.length} inputs (${model.inputs.map((i) => i.name).join(', ')}); a generated script feeds one. ` +
        'Write the script from the generated one by hand, adding the other inputs to the session.run() feed.',
    );
  }
  if (!model.outputs.some((o) => o.name === plan.output.name)) problems.push(`The model has no output named "${plan.output.name}".`);
  if (!FLOATS.has(plan.input.elementType)) {
    problems.push(`The input "${plan.input.name}" holds ${plan.input.elementType}; generated scripts feed float32 or float64 tensors.`);
  }
  if (plan.kind === 'images') {
    const img = plan.image;
    if (!img) problems.push('An image model needs the image size, channels and layout.');
    else {
      if (!(img.width > 0 && img.height > 0 && Number.isInteger(img.width) && Number.isInteger(img.height)))
        problems.push('The image width and height must be whole numbers from 1.');
      if (!(img.scale > 0)) problems.push('The pixel scale must be a positive number (255 for 0..1, 1 for 0..255).');
      for (const [what, v] of [
        ['mean', img.mean],
        ['std', img.std],
      ] as const) {
        if (v && v.length !== img.channels)
          problems.push(`The ${what} has ${v.length} values; the image has ${img.channels} channel(s): give one per channel.`);
      }
      if (img.std?.some((x) => x === 0)) problems.push('A std of 0 divides by zero: use 1 to leave a channel as it is.');
      const expected = itemShape(img);
      const actual = plan.input.shape?.slice(1);
      if (actual && (actual.length !== expected.length || actual.some((d, i) => typeof d === 'number' && d !== expected[i]))) {
        problems.push(
          `The input "${plan.input.name}" takes items of shape [${actual.join(', ')}], but ${img.width}x${img.height} ${img.channels === 1 ? 'grayscale' : 'RGB'} images ` +
            `in the ${img.layout} layout make [${expected.join(', ')}]. Pick the size, channels and layout that match.`,
        );
      }
    }
  }
  return problems;
}

/** The shape of one preprocessed image, without the batch dimension. */
export function itemShape(img: ImagePreprocessing): number[] {
  switch (img.layout) {
    case 'flat':
      return [img.width * img.height * img.channels];
    case 'nchw':
      return [img.channels, img.height, img.width];
    case 'nhwc':
      return [img.height, img.width, img.channels];
    case 'nhw':
      return [img.height, img.width];
  }
}
