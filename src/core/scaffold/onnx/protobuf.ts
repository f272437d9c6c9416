/**
 * Just enough of the protobuf wire format to read an ONNX ModelProto's header and graph signature without
 * loading a runtime: varints, length-delimited fields, and skipping everything else.
 */

export class TruncatedError extends Error {}

export interface Field {
  number: number;
  wireType: number;
  /** Varint value (wire type 0). */
  value?: bigint;
  /** Bytes of a length-delimited field (wire type 2). */
  bytes?: Uint8Array;
}

/** The fields of one message, in file order. Throws TruncatedError when the bytes end inside a field. */
export function readFields(buf: Uint8Array): Field[] {
  const fields: Field[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new TruncatedError('the bytes end inside a number');
      const b = buf[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new Error('a number is longer than 10 bytes');
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const number = key >>> 3;
    const wireType = key & 7;
    if (number === 0) throw new Error('field number 0');
    switch (wireType) {
      case 0:
        fields.push({ number, wireType, value: varint() });
        break;
      case 1:
        pos += 8;
        break;
      case 2: {
        const len = Number(varint());
        if (pos + len > buf.length) throw new TruncatedError(`a ${len}-byte field runs past the end`);
        fields.push({ number, wireType, bytes: buf.subarray(pos, pos + len) });
        pos += len;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        throw new Error(`unknown wire type ${wireType}`);
    }
    if (pos > buf.length) throw new TruncatedError('the bytes end inside a fixed-size field');
  }
  return fields;
}

export function text(bytes: Uint8Array | undefined): string {
  return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') : '';
}
