/**
 * Pillow's image operations the generated entry scripts use, reproduced to the bit so that the model preview
 * feeds the model exactly the numbers the Python script will: convert('L'/'RGB') and resize(..., BOX) on
 * 8-bit images (Pillow's Resample.c: fixed-point coefficients, horizontal pass then vertical, each rounded).
 */
import type { Pixels } from './png';

const PRECISION_BITS = 32 - 8 - 2;

/** PIL's convert('L') from RGB (ITU-R 601-2 luma in 16-bit fixed point), or convert('RGB') from L. */
export function convertChannels(img: Pixels, channels: 1 | 3): Pixels {
  if (img.channels === channels) return img;
  const n = img.width * img.height;
  const data = new Uint8Array(n * channels);
  if (channels === 1) {
    for (let i = 0; i < n; i++) {
      const r = img.data[i * 3],
        g = img.data[i * 3 + 1],
        b = img.data[i * 3 + 2];
      data[i] = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >>> 16;
    }
  } else {
    for (let i = 0; i < n; i++) data[i * 3] = data[i * 3 + 1] = data[i * 3 + 2] = img.data[i];
  }
  return { ...img, channels, data };
}

interface Coefficients {
  bounds: Int32Array; // [xmin, count] per output pixel
  ksize: number;
  weights: Int32Array;
}

function coefficients(inSize: number, outSize: number): Coefficients {
  const scale = inSize / outSize;
  const filterscale = Math.max(scale, 1);
  const support = 0.5 * filterscale; // the box filter's support is 0.5
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const weights = new Int32Array(outSize * ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const ss = 1 / filterscale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    const k = new Float64Array(xmax);
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      const t = (x + xmin - center + 0.5) * ss;
      const w = t > -0.5 && t <= 0.5 ? 1 : 0;
      k[x] = w;
      ww += w;
    }
    for (let x = 0; x < xmax; x++) {
      const w = ww !== 0 ? k[x] / ww : k[x];
      weights[xx * ksize + x] = Math.trunc(w < 0 ? -0.5 + w * (1 << PRECISION_BITS) : 0.5 + w * (1 << PRECISION_BITS));
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { bounds, ksize, weights };
}

function clip8(v: number): number {
  if (v >= (1 << PRECISION_BITS) << 8 || v >= 2 ** (PRECISION_BITS + 8)) return 255;
  if (v <= 0) return 0;
  return Math.floor(v / (1 << PRECISION_BITS));
}

/** PIL's image.resize((width, height), Image.Resampling.BOX) on an 8-bit L or RGB image. */
export function resizeBox(img: Pixels, width: number, height: number): Pixels {
  if (img.width === width && img.height === height) return img;
  const c = img.channels;
  let cur = img;
  if (width !== img.width) {
    const k = coefficients(img.width, width);
    const data = new Uint8Array(width * img.height * c);
    for (let y = 0; y < img.height; y++) {
      for (let xx = 0; xx < width; xx++) {
        const xmin = k.bounds[xx * 2],
          count = k.bounds[xx * 2 + 1];
        for (let ch = 0; ch < c; ch++) {
          let ss = 1 << (PRECISION_BITS - 1);
          for (let x = 0; x < count; x++) ss += cur.data[(y * img.width + xmin + x) * c + ch] * k.weights[xx * k.ksize + x];
          data[(y * width + xx) * c + ch] = clip8(ss);
        }
      }
    }
    cur = { width, height: img.height, channels: c, data };
  }
  if (height !== cur.height) {
    const k = coefficients(cur.height, height);
    const data = new Uint8Array(width * height * c);
    for (let yy = 0; yy < height; yy++) {
      const ymin = k.bounds[yy * 2],
        count = k.bounds[yy * 2 + 1];
      for (let x = 0; x < width; x++) {
        for (let ch = 0; ch < c; ch++) {
          let ss = 1 << (PRECISION_BITS - 1);
          for (let y = 0; y < count; y++) ss += cur.data[((ymin + y) * width + x) * c + ch] * k.weights[yy * k.ksize + y];
          data[(yy * width + x) * c + ch] = clip8(ss);
        }
      }
    }
    cur = { width, height, channels: c, data };
  }
  return cur;
}
