/**
 * The quick fixes of spec diagnostics, as plain text edits (no vscode import, so unit-tested directly):
 * rename to the suggestion, rewrite a bad size, create the missing entry script, declare a missing input.
 * Messages arrive as the editor shows them (diagnosticMessage: code spans as "quotes").
 */

export interface SpecFinding {
  rule: string;
  message: string;
  /** The text the diagnostic's range covers. */
  rangeText: string;
}

export type QuickFix =
  | { kind: 'replace'; title: string; newText: string; preferred: boolean }
  | { kind: 'createEntryScript'; title: string; file: string; tabular: boolean }
  | { kind: 'insert'; title: string; line: number; text: string };

const DID_YOU_MEAN = /Did you mean "([^"\n]+)"\?/;

/** The fixes a finding has (none for most rules): the first is the preferred one. */
export function quickFixesFor(f: SpecFinding, documentText: string): QuickFix[] {
  const fixes: QuickFix[] = [];
  const suggestion = DID_YOU_MEAN.exec(f.message)?.[1];
  switch (f.rule) {
    case 'unknown-key':
      if (suggestion) fixes.push({ kind: 'replace', title: `Rename to "${suggestion}"`, newText: suggestion, preferred: true });
      break;
    case 'size-string':
    case 'mini-batch-size': {
      // For a files input the size counts files: "10 kb" has no fix that is right, "10 files" has.
      const newText = fixedSize(f.rangeText, f.rule === 'mini-batch-size' || /number of files/.test(f.message));
      if (newText !== undefined && newText !== f.rangeText)
        fixes.push({ kind: 'replace', title: `Write ${newText}`, newText, preferred: true });
      break;
    }
    case 'entry-script-missing': {
      if (suggestion)
        fixes.push({ kind: 'replace', title: `Use "${suggestion}"`, newText: requote(f.rangeText, suggestion), preferred: true });
      const file = /looked for (.+?\.py)\.(?:\s|$)/.exec(f.message)?.[1];
      if (file)
        fixes.push({
          kind: 'createEntryScript',
          title: `Create ${basename(file)} from the entry-script template`,
          file,
          tabular: /type:\s*["']?mltable/.test(documentText),
        });
      break;
    }
    case 'unknown-binding':
    case 'input-data-binding': {
      const wrong = lastQuotedBefore(f.message, DID_YOU_MEAN.exec(f.message)?.index ?? f.message.length);
      if (suggestion && wrong && f.rangeText.includes(wrong)) {
        fixes.push({ kind: 'replace', title: `Bind "${suggestion}"`, newText: f.rangeText.split(wrong).join(suggestion), preferred: true });
      }
      const missing = /the pipeline has no input "([^"\n]+)"/.exec(f.message)?.[1];
      if (missing) {
        const insert = declarePipelineInput(documentText, missing);
        if (insert) fixes.push({ kind: 'insert', title: `Declare "${missing}" under the pipeline's inputs`, ...insert });
      }
      break;
    }
  }
  return fixes;
}

/** `"10 kb"` → `"10kb"`, `10 MB` → `10mb`; for files, `"10 files"` → `"10"`. Undefined when no size is in it. */
export function fixedSize(text: string, filesOnly = false): string | undefined {
  const m = /^(["']?)\s*(\d+)\s*([kKmMgG][bB])?\s*(files?)?\s*\1$/.exec(text.trim());
  if (!m) return undefined;
  const [, quote, digits, unit, files] = m;
  if (filesOnly || files) return unit ? undefined : `${quote}${digits}${quote}`;
  return `${quote}${digits}${unit ? unit.toLowerCase() : ''}${quote}`;
}

/** Where and what to insert so that the pipeline's top-level `inputs:` declares `name` as a folder. */
export function declarePipelineInput(documentText: string, name: string): { line: number; text: string } | undefined {
  const lines = documentText.split(/\r?\n/);
  const inputs = lines.findIndex((l) => /^inputs:\s*(#.*)?$/.test(l));
  const entry = `${name}:\n    type: uri_folder\n    path: ./${name}\n`;
  if (inputs >= 0) {
    const next = lines.slice(inputs + 1).find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    const indent = next && /^\s+/.test(next) ? /^\s+/.exec(next)![0] : '  ';
    return { line: inputs + 1, text: `${indent}${entry.replace(/\n {4}/g, `\n${indent}${indent}`)}` };
  }
  const jobs = lines.findIndex((l) => /^jobs:\s*(#.*)?$/.test(l));
  if (jobs < 0) return undefined;
  return { line: jobs, text: `inputs:\n  ${entry}\n` };
}

function lastQuotedBefore(message: string, end: number): string | undefined {
  const quoted = [...message.slice(0, end).matchAll(/"([^"\n]+)"/g)];
  return quoted[quoted.length - 1]?.[1];
}

/** The new value with the quotes the old one had. */
function requote(old: string, value: string): string {
  const q = /^["']/.exec(old.trim())?.[0] ?? '';
  return `${q}${value}${q}`;
}

function basename(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
