/**
 * The model's input for one item, computed as the generated entry script computes it (entry-script.ts),
 * number for number: Pillow's convert/resize reproduced in resample.ts, then numpy's float arithmetic.
 */
import { readFileSync } from 'node:fs';
import { decodePng } from './png';
import { inputDtype, itemShape, type ModelPlan } from './plan';
import { convertChannels, resizeBox } from './resample';

export type FloatArray = Float32Array | Float64Array;

/** One image file as the plan's input item: `preprocess(path)` of the generated script. */
export function imageFeatures(file: string, plan: ModelPlan): FloatArray {
  const img = plan.image;
  if (!img) throw new Error('internal: an image plan without image settings');
  const f32 = inputDtype(plan) === 'float32';
  const round = f32 ? Math.fround : (x: number) => x;
  const pixels = resizeBox(convertChannels(decodePng(readFileSync(file), file), img.channels), img.width, img.height);
  const c = img.channels;
  const scale = round(img.scale);
  const mean = img.mean?.map(round);
  const std = img.std?.map(round);
  const out = f32 ? new Float32Array(pixels.data.length) : new Float64Array(pixels.data.length);
  const hw = img.width * img.height;
  for (let i = 0; i < hw; i++) {
    for (let ch = 0; ch < c; ch++) {
      let v = round(pixels.data[i * c + ch] / scale);
      if (mean && std) v = round(round(v - mean[ch]) / std[ch]);
      // Interleaved (H, W, C) for flat/nhwc/nhw; planar (C, H, W) for nchw, as transpose(2, 0, 1) gives.
      out[img.layout === 'nchw' ? ch * hw + i : i * c + ch] = v;
    }
  }
  return out;
}

/** One .npy file as the plan's input item (little-endian, C order; what np.load + astype give). */
export function arrayFeatures(file: string, plan: ModelPlan): FloatArray {
  const bytes = readFileSync(file);
  if (bytes.length < 10 || bytes.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${file} is not a .npy file (np.save writes them).`);
  const major = bytes[6];
  const headerLen = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + headerLen;
  const header = bytes.toString('latin1', major === 1 ? 10 : 12, start);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  if (/'fortran_order':\s*True/.test(header))
    throw new Error(`${file} is stored in Fortran order; save it with np.save(np.ascontiguousarray(x)).`);
  const body = bytes.subarray(start);
  const readers: Record<string, [number, (o: number) => number]> = {
    '<f4': [4, (o) => body.readFloatLE(o)],
    '<f8': [8, (o) => body.readDoubleLE(o)],
    '<i8': [8, (o) => Number(body.readBigInt64LE(o))],
    '<i4': [4, (o) => body.readInt32LE(o)],
    '|u1': [1, (o) => body[o]],
  };
  const reader = descr ? readers[descr] : undefined;
  if (!reader)
    throw new Error(`${file} holds ${descr ?? 'an unknown type'}; the preview reads float32, float64, int32, int64 and uint8 arrays.`);
  const n = Math.floor(body.length / reader[0]);
  const out = inputDtype(plan) === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = reader[1](i * reader[0]);
  return out;
}

/** The shape of one item for the plan, where it is known. */
export function planItemShape(plan: ModelPlan, values: number): number[] {
  if (plan.kind === 'images' && plan.image) return itemShape(plan.image);
  const item = plan.input.shape?.slice(1);
  return item && item.every((d) => typeof d === 'number') ? (item as number[]) : [values];
}
