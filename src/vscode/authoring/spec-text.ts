/**
 * Which editor documents are parallel specs, and how core/spec's 1-based locations become the editor's
 * 0-based ranges. Plain code (no vscode import) so it is unit-tested directly.
 */
import type { Diagnostic, SourceLocation } from '../../core/spec';

// `type: parallel` as a key of its own line (a node or a standalone parallel file), quoted or not.
const PARALLEL_TYPE = /^[ \t]*(?:-[ \t]+)?type[ \t]*:[ \t]*(["']?)parallel\1[ \t]*(?:#.*)?$/m;

/** True when the text holds a `type: parallel` line: the only YAML files worth checking. */
export function isParallelSpecText(text: string): boolean {
  return PARALLEL_TYPE.test(text);
}

/** A 0-based range, as editors count. */
export interface ZeroBasedRange {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

export function zeroBasedRange(location: SourceLocation): ZeroBasedRange {
  const startLine = Math.max(0, location.line - 1);
  const startCharacter = Math.max(0, location.column - 1);
  let endLine = Math.max(0, location.endLine - 1);
  let endCharacter = Math.max(0, location.endColumn - 1);
  if (endLine < startLine || (endLine === startLine && endCharacter < startCharacter)) {
    endLine = startLine;
    endCharacter = startCharacter;
  }
  return { startLine, startCharacter, endLine, endCharacter };
}

/**
 * What the editor shows for a finding: the message, then the fix on its own line. Problems and diagnostic
 * hovers show plain text, so Markdown code spans become quotes there (no literal backticks).
 */
export function diagnosticMessage(d: Diagnostic): string {
  const message = plainText(d.message);
  return d.fix ? `${message}\nFix: ${plainText(d.fix)}` : message;
}

/** `code` → "code": Markdown code spans as plain text reads them. */
export function plainText(markdown: string): string {
  return markdown.replace(/`([^`\n]+)`/g, '"$1"');
}
