/** mini_batch_size strings, read the way azure-ai-ml converts them before sending the REST node. */

/** The schema's pattern. It admits repeated units (`1mbkb`), which the SDK's conversion then rejects. */
export const SIZE_PATTERN = /^\d+([kKmMgG][bB])*$/;

const UNIT_FACTORS: Record<string, number> = { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/**
 * `"10"` → 10, `"10kb"` → 10240, `"1MB"` → 1048576, `"2gb"` → 2147483648; anything else → undefined.
 * A plain number is bytes for tabular inputs and a file count for file inputs: the caller decides.
 */
export function parseSizeString(text: string): number | undefined {
  const trimmed = String(text);
  if (!SIZE_PATTERN.test(trimmed)) return undefined;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // Like the SDK: one unit at the end, the rest must be digits (so `1mbkb` fails here as it does there).
  const digits = trimmed.slice(0, -2);
  const factor = UNIT_FACTORS[trimmed.slice(-2).toLowerCase()];
  if (!/^\d+$/.test(digits) || factor === undefined) return undefined;
  return Number(digits) * factor;
}
