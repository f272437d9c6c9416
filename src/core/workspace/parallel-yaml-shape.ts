/**
 * Where the `type: parallel` nodes of a YAML file are, from its text alone (for CodeLens, on every
 * YAML file the editor shows). Reading the spec properly is core/spec's job; this only finds lines.
 */

export interface ParallelNodeLine {
  /** 0-based line to put the lens on: the node's key under `jobs:`, or the `type:` line of a component. */
  line: number;
  /** The node key under `jobs:`; undefined for a standalone parallel job/component (the file is the node). */
  nodeName?: string;
}

const TYPE_PARALLEL = /^([ \t]*)type[ \t]*:[ \t]*(["']?)parallel\2[ \t]*(?:#.*)?$/;
const KEY_LINE = /^([ \t]*)(["']?)([^"'#:\s][^"'#:]*?)\2[ \t]*:(?:[ \t].*)?$/;

/** Cheap test run before anything else: is there a `type: parallel` line at all? */
export function mentionsParallelNode(text: string): boolean {
  return /^[ \t]*type[ \t]*:[ \t]*["']?parallel["']?[ \t]*(?:#.*)?$/m.test(text);
}

export function parallelNodeLines(text: string): ParallelNodeLine[] {
  if (!mentionsParallelNode(text)) return [];
  const lines = text.split(/\r?\n/);
  const found: ParallelNodeLine[] = [];
  lines.forEach((line, i) => {
    const m = TYPE_PARALLEL.exec(line);
    if (!m) return;
    const indent = m[1].length;
    if (indent === 0) {
      found.push({ line: i });
      return;
    }
    for (let j = i - 1; j >= 0; j--) {
      const key = KEY_LINE.exec(lines[j]);
      if (!key || lines[j].trimStart().startsWith('#')) continue;
      if (key[1].length < indent) {
        found.push({ line: j, nodeName: key[3].trim() });
        return;
      }
    }
  });
  return found;
}
