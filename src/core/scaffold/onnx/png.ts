/**
 * Decodes the PNG files the model preview reads (8-bit grayscale, gray+alpha, RGB, RGBA or palette, not
 * interlaced) into pixels, with node:zlib only. Other files are refused with a message that says so.
 */
import { inflateSync } from 'node:zlib';

export interface Pixels {
  width: number;
  height: number;
  /** 1 (L) or 3 (RGB): what PIL's convert('L') / convert('RGB') would give. */
  channels: 1 | 3;
  /** Row-major, channels interleaved, 0..255. */
  data: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The image's pixels in its own mode reduced to L or RGB (alpha dropped, palette expanded). */
export function decodePng(bytes: Buffer, file: string): Pixels {
  if (bytes.length < 8 || !bytes.subarray(0, 8).equals(SIGNATURE)) {
    throw new Error(`${file} is not a PNG file: the model preview reads PNG images (the entry script reads any image Pillow opens).`);
  }
  let pos = 8;
  let width = 0,
    height = 0,
    depth = 0,
    colorType = 0,
    interlace = 0;
  let palette: Buffer | undefined;
  const idat: Buffer[] = [];
  while (pos + 8 <= bytes.length) {
    const len = bytes.readUInt32BE(pos);
    const type = bytes.toString('latin1', pos + 4, pos + 8);
    const body = bytes.subarray(pos + 8, pos + 8 + len);
    if (body.length < len) throw new Error(`${file} is truncated (its ${type} chunk runs past the end of the file).`);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      depth = body[8];
      colorType = body[9];
      interlace = body[12];
    } else if (type === 'PLTE') palette = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const samples = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  if (!samples) throw new Error(`${file}: PNG colour type ${colorType} is not one PNG defines.`);
  // 1, 2 and 4 bits per sample occur in grayscale and palette images only.
  const packed = depth < 8 && (colorType === 0 || colorType === 3) && [1, 2, 4].includes(depth);
  if ((depth !== 8 && !packed) || interlace !== 0) {
    throw new Error(
      `${file}: the model preview reads non-interlaced PNGs of 8 bits or fewer per sample (this one has ${depth}-bit samples${interlace ? ', interlaced' : ''}).`,
    );
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rowBytes = Math.ceil((width * samples * depth) / 8);
  if (raw.length < height * (rowBytes + 1)) throw new Error(`${file} is truncated (its image data ends early).`);
  const filtered = unfilter(raw, rowBytes, height, Math.max(1, (samples * depth) >> 3));
  const rows = packed ? unpack(filtered, width, height, rowBytes, depth, colorType === 0) : filtered;
  const channels: 1 | 3 = colorType === 0 || colorType === 4 ? 1 : 3;
  const data = new Uint8Array(width * height * channels);
  for (let i = 0; i < width * height; i++) {
    if (colorType === 3) {
      const p = rows[i];
      if (!palette || (p + 1) * 3 > palette.length)
        throw new Error(`${file}: a pixel names palette entry ${p}, which the PNG does not have.`);
      data.set(palette.subarray(p * 3, p * 3 + 3), i * 3);
    } else {
      for (let c = 0; c < channels; c++) data[i * channels + c] = rows[i * samples + c];
    }
  }
  return { width, height, channels, data };
}

/** Samples of 1, 2 or 4 bits, one per byte; grayscale ones scaled to 0..255 as Pillow reads them. */
function unpack(rows: Uint8Array, width: number, height: number, rowBytes: number, depth: number, gray: boolean): Uint8Array {
  const out = new Uint8Array(width * height);
  const max = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const v = (rows[y * rowBytes + (bit >> 3)] >> (8 - depth - (bit & 7))) & max;
      out[y * width + x] = gray ? (v * 255) / max : v;
    }
  }
  return out;
}

function unfilter(raw: Buffer, stride: number, height: number, bpp: number): Uint8Array {
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? out[row + x - bpp] : 0;
      const b = y > 0 ? out[row - stride + x] : 0;
      const c = x >= bpp && y > 0 ? out[row - stride + x - bpp] : 0;
      let v = raw[src + x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a),
          pb = Math.abs(p - b),
          pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[row + x] = v & 0xff;
    }
  }
  return out;
}
