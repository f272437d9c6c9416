/** Numbers as the panel shows them. */

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `4.2 s`, `3 min 05 s`, `1 h 02 min`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const s = Math.floor(seconds % 60);
  const m = Math.floor(seconds / 60) % 60;
  const hours = Math.floor(seconds / 3600);
  return hours > 0 ? `${hours} h ${String(m).padStart(2, '0')} min` : `${m} min ${String(s).padStart(2, '0')} s`;
}

/** Items a second over `ms`, or an em dash while there is too little to tell. */
export function formatRate(items: number, ms: number): string {
  if (ms < 100 || items === 0) return '—';
  const rate = items / (ms / 1000);
  return `${rate >= 100 ? Math.round(rate).toLocaleString('en-US') : rate.toFixed(rate >= 10 ? 1 : 2)} items/s`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** A path as the panel shows it: relative to the workspace folder when inside it (the full one goes in a title). */
export { displayPath as shortPath } from '../shared/headline';
