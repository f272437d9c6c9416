/**
 * Recognises a run that failed because the interpreter lacks a package (ImportError in the entry script's
 * import or init()). Plain text, no vscode: the engine reports it in the summary's reason and failures.
 */
import type { RunSummary } from '../../core/local/types';

export interface MissingModule {
  /** The module Python could not import (`numpy`, `PIL`), when the message names it. */
  module?: string;
  message: string;
}

const NO_MODULE = /No module named ['"]?([A-Za-z0-9_.]+)['"]?/;

export function missingModule(summary: Pick<RunSummary, 'status' | 'reason' | 'failures'>): MissingModule | undefined {
  if (summary.status !== 'Failed') return undefined;
  const texts = [summary.reason ?? '', ...summary.failures.map((f) => `${f.error.type}: ${f.error.message}`)];
  for (const text of texts) {
    const named = NO_MODULE.exec(text);
    if (named) return { module: named[1].split('.')[0], message: firstLine(text) };
    if (/\b(ModuleNotFoundError|ImportError)\b/.test(text)) return { message: firstLine(text) };
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}
