// What the UI tests check screenshots with: the backgrounds a person sees (computed, and the median luminance of
// regions of the PNG itself), shared by test/ui/run.mjs and test/ui/azure-tree.mjs.
import * as path from 'node:path';
import { resultsDir } from '../integration/host.mjs';

export const screenshotsDir = path.join(resultsDir, 'screenshots');
/**
 * Relative luminance (WCAG, 0 black … 1 white) that a background must stay below to count as dark, and above
 * to count as light. Dark Modern's editor is #1F1F1F (0.014), High Contrast's #000000 (0), Light Modern's #FFFFFF (1).
 */
export const DARK_MAX = 0.1;
export const LIGHT_MIN = 0.6;
/** The background a person sees behind `selector`: its own, else the nearest ancestor's that is not transparent. */
export async function effectiveBackground(frame, selector) {
  const css = await frame.evaluate((sel) => {
    for (let el = document.querySelector(sel); el; el = el.parentElement) {
      const bg = getComputedStyle(el).backgroundColor;
      if (bg && !/^(transparent|rgba\(\s*0,\s*0,\s*0,\s*0\s*\))$/.test(bg)) return bg;
    }
    return document.querySelector(sel) ? 'rgb(255, 255, 255)' : null; // nothing painted: the browser's white canvas
  }, selector);
  if (!css) throw new Error(`no element ${selector} to read a background from`);
  return parseColor(css);
}

/** [r, g, b] (0–255) from a computed `rgb()`/`rgba()` (alpha ignored: backgrounds here are opaque). */
export function parseColor(css) {
  const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(css);
  if (!m) throw new Error(`cannot read the colour ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** WCAG relative luminance of [r, g, b]. */
export function luminance([r, g, b]) {
  const lin = (c) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** The median WCAG luminance of each box of a PNG, decoded by chromium in a scratch page of its own. */
export async function pngMedianLuminance(browser, png, boxes) {
  const scratch = await browser.newPage();
  try {
    return await scratch.evaluate(
      async ({ b64, boxes }) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        const ctx = canvas.getContext('2d', { willReadFrequently: true });
        ctx.drawImage(img, 0, 0);
        const lin = (c) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
        return boxes.map((b) => {
          const x = Math.max(0, Math.floor(b.x));
          const y = Math.max(0, Math.floor(b.y));
          const w = Math.min(canvas.width - x, Math.floor(b.width));
          const h = Math.min(canvas.height - y, Math.floor(b.height));
          if (w <= 0 || h <= 0) return NaN;
          const d = ctx.getImageData(x, y, w, h).data;
          const lum = new Float64Array(w * h);
          for (let i = 0; i < lum.length; i++) lum[i] = 0.2126 * lin(d[4 * i]) + 0.7152 * lin(d[4 * i + 1]) + 0.0722 * lin(d[4 * i + 2]);
          lum.sort();
          return lum[lum.length >> 1];
        });
      },
      { b64: png.toString('base64'), boxes },
    );
  } finally {
    await scratch.close();
  }
}
