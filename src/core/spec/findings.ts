/** Collects the diagnostics found while reading a spec, so one pass can report every problem at once. */
import type { Diagnostic, SourceLocation } from './types';

export class Findings {
  readonly all: Diagnostic[] = [];

  error(rule: string, location: SourceLocation, message: string, fix?: string): void {
    this.all.push({ severity: 'error', rule, message, fix, location });
  }

  warning(rule: string, location: SourceLocation, message: string, fix?: string): void {
    this.all.push({ severity: 'warning', rule, message, fix, location });
  }

  add(diagnostics: Diagnostic[]): void {
    this.all.push(...diagnostics);
  }

  get errorCount(): number {
    return this.all.filter((d) => d.severity === 'error').length;
  }

  /**
   * Spec file first, then other files (components, MLTables, `--set`), each top to bottom. A problem
   * reached twice (a pipeline input bound by two nodes) is listed once.
   */
  sorted(specFile: string): Diagnostic[] {
    const rank = (d: Diagnostic): number => (d.location.file === specFile ? 0 : 1);
    const unique = [...new Map(this.all.map((d) => [JSON.stringify(d), d])).values()];
    return unique.sort(
      (a, b) =>
        rank(a) - rank(b) ||
        a.location.file.localeCompare(b.location.file) ||
        a.location.line - b.location.line ||
        a.location.column - b.location.column,
    );
  }
}
