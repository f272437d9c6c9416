/**
 * What an ONNX model says about itself: its inputs and outputs (names, element types, shapes with symbolic
 * dimensions named), opsets, producer and size. Read from the file's bytes, so inspecting needs no runtime.
 */
import { readFileSync, statSync } from 'node:fs';
import { readFields, text, TruncatedError, type Field } from './protobuf';

/** A dimension: a number, a symbolic name (`batch`), or unknown (`?`). */
export type Dim = number | string;

export interface TensorInfo {
  name: string;
  /** ONNX element type name as numpy spells it: float32, int64, uint8, ... ; `sequence`/`map` for non-tensors. */
  elementType: string;
  /** Undefined when the model gives no shape (any rank). */
  shape?: Dim[];
}

export interface ModelInfo {
  file: string;
  sizeBytes: number;
  irVersion: number;
  /** Domain ('' is the default ai.onnx domain) -> version. */
  opsets: Record<string, number>;
  producer: string;
  producerVersion: string;
  graphName: string;
  docString: string;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
}

/** ONNX TensorProto.DataType numbers, named as numpy names them. */
const ELEMENT_TYPES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  14: 'complex64',
  15: 'complex128',
  16: 'bfloat16',
};

export class ModelFileError extends Error {}

/** Reads and inspects a model file; a file that is not an ONNX model gives a ModelFileError naming it and the fix. */
export function inspectModelFile(file: string): ModelInfo {
  let bytes: Buffer;
  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
    bytes = readFileSync(file);
  } catch (e) {
    throw new ModelFileError(`${file}: cannot read the model (${(e as Error).message}).`);
  }
  return inspectModel(bytes, file);
}

/** Inspects the bytes of an ONNX model; `file` names it in errors. */
export function inspectModel(bytes: Uint8Array, file: string): ModelInfo {
  const fix =
    'Export it again (torch.onnx.export, tf2onnx, skl2onnx) or copy the whole file; a model stored with Git LFS needs `git lfs pull`.';
  if (bytes.length === 0) throw new ModelFileError(`${file} is empty, not an ONNX model. ${fix}`);
  if (text(bytes.subarray(0, 40)).startsWith('version https://git-lfs')) {
    throw new ModelFileError(`${file} is a Git LFS pointer, not the model itself. Run \`git lfs pull\` to fetch it.`);
  }
  let model: Field[];
  try {
    model = readFields(bytes);
  } catch (e) {
    const what =
      e instanceof TruncatedError
        ? `is truncated (${e.message}, after ${bytes.length} bytes)`
        : `is not an ONNX model (${(e as Error).message})`;
    throw new ModelFileError(`${file} ${what}. ${fix}`);
  }
  const graphField = model.find((f) => f.number === 7 && f.bytes);
  const irField = model.find((f) => f.number === 1 && f.value !== undefined);
  if (!graphField || !irField) {
    throw new ModelFileError(`${file} is not an ONNX model (no ${graphField ? 'ir_version' : 'graph'}). ${fix}`);
  }
  try {
    const opsets: Record<string, number> = {};
    for (const f of model.filter((m) => m.number === 8 && m.bytes)) {
      const op = readFields(f.bytes!);
      opsets[text(op.find((x) => x.number === 1)?.bytes)] = Number(op.find((x) => x.number === 2)?.value ?? 0n);
    }
    const graph = readFields(graphField.bytes!);
    const initializers = new Set(
      graph.filter((f) => f.number === 5 && f.bytes).map((f) => text(readFields(f.bytes!).find((x) => x.number === 8)?.bytes)),
    );
    const valueInfos = (n: number) => graph.filter((f) => f.number === n && f.bytes).map((f) => valueInfo(f.bytes!));
    return {
      file,
      sizeBytes: bytes.length,
      irVersion: Number(irField.value),
      opsets,
      producer: text(model.find((f) => f.number === 2)?.bytes),
      producerVersion: text(model.find((f) => f.number === 3)?.bytes),
      graphName: text(graph.find((f) => f.number === 2)?.bytes),
      docString: text(model.find((f) => f.number === 6)?.bytes),
      // Before IR version 4 every initializer was also listed as a graph input: those are weights, not inputs.
      inputs: valueInfos(11).filter((v) => !initializers.has(v.name)),
      outputs: valueInfos(12),
    };
  } catch (e) {
    if (e instanceof ModelFileError) throw e;
    const what = e instanceof TruncatedError ? 'is damaged' : 'is not an ONNX model';
    throw new ModelFileError(`${file} ${what} (its graph cannot be read: ${(e as Error).message}). ${fix}`);
  }
}

function valueInfo(bytes: Uint8Array): TensorInfo {
  const fields = readFields(bytes);
  const name = text(fields.find((f) => f.number === 1)?.bytes);
  const type = fields.find((f) => f.number === 2)?.bytes;
  if (!type) return { name, elementType: 'unknown' };
  const typeFields = readFields(type);
  const tensor = typeFields.find((f) => f.number === 1)?.bytes;
  if (!tensor)
    return {
      name,
      elementType: typeFields.some((f) => f.number === 4) ? 'sequence' : typeFields.some((f) => f.number === 5) ? 'map' : 'unknown',
    };
  const t = readFields(tensor);
  const elem = Number(t.find((f) => f.number === 1)?.value ?? 0n);
  const shapeBytes = t.find((f) => f.number === 2)?.bytes;
  const info: TensorInfo = { name, elementType: ELEMENT_TYPES[elem] ?? `type ${elem}` };
  if (shapeBytes) {
    info.shape = readFields(shapeBytes)
      .filter((f) => f.number === 1 && f.bytes)
      .map((f) => {
        const d = readFields(f.bytes!);
        const value = d.find((x) => x.number === 1)?.value;
        if (value !== undefined) return Number(value);
        const param = text(d.find((x) => x.number === 2)?.bytes);
        return param === '' ? '?' : param;
      });
  }
  return info;
}

/** `[batch, 64]`, `[?, 3, 224, 224]`, or `any shape`. */
export function formatShape(shape: Dim[] | undefined): string {
  return shape ? `[${shape.join(', ')}]` : 'any shape';
}

/** 1.2 MB, 840 KB, 312 bytes. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
