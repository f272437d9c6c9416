/** Entry points: read a spec file for a run (throws on errors) or check editor text (never throws). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { SpecContext } from './context';
import { readDocument, type DocumentReading } from './document';
import { Findings } from './findings';
import { SpecError, type Diagnostic, type LoadSpecOptions, type PipelineSpec } from './types';
import { fileLocation, parseYamlSource } from './yaml-source';

export interface SpecReadOptions extends LoadSpecOptions {
  /** Read for a local run (default): input_data must be local data that exists. */
  local?: boolean;
  /** Folder `--set` paths are relative to; default process.cwd(). */
  cwd?: string;
}

export interface SpecCheck {
  diagnostics: Diagnostic[];
  /** Present when the spec has no errors. */
  spec?: PipelineSpec;
}

/** Reads the parallel nodes of a spec file; throws SpecError listing every error. */
export async function loadSpec(file: string, options: SpecReadOptions = {}): Promise<PipelineSpec> {
  const specFile = path.resolve(file);
  let text: string;
  try {
    text = await fs.promises.readFile(specFile, 'utf8');
  } catch (e) {
    const reason =
      (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(e as Error).message})`;
    throw new SpecError([
      {
        severity: 'error',
        rule: 'file-not-found',
        message: `Spec file ${specFile} ${reason}.`,
        fix: 'Check the path of the YAML file.',
        location: fileLocation(specFile),
      },
    ]);
  }
  const check = checkSpecText(text, specFile, options);
  if (!check.spec) throw new SpecError(check.diagnostics.filter((d) => d.severity === 'error'));
  return check.spec;
}

/** Checks spec text as an editor holds it: diagnostics for squiggles, and the spec when it is clean. */
export function checkSpecText(text: string, file: string, options: SpecReadOptions = {}): SpecCheck {
  const specFile = path.resolve(file);
  const findings = new Findings();
  try {
    const reading = readSpecText(String(text ?? ''), specFile, options, findings);
    const diagnostics = findings.sorted(specFile);
    if (findings.errorCount > 0) return { diagnostics };
    const spec: PipelineSpec = { file: specFile, ...reading, warnings: diagnostics.filter((d) => d.severity === 'warning') };
    return { diagnostics, spec };
  } catch (e) {
    // A bug here must not take the editor down: report it as a diagnostic instead.
    const message = `Internal error while reading the spec: ${(e as Error)?.message ?? String(e)}`;
    findings.error('internal', fileLocation(specFile), message, 'Please report this with the YAML that caused it.');
    return { diagnostics: findings.sorted(specFile) };
  }
}

function readSpecText(text: string, specFile: string, options: SpecReadOptions, findings: Findings): DocumentReading {
  const parsed = parseYamlSource(text, specFile);
  findings.add(parsed.diagnostics);
  if (parsed.diagnostics.length > 0) return { parallelNodes: [] };
  if (!parsed.root) {
    findings.error(
      'no-parallel-node',
      fileLocation(specFile),
      'The file is empty.',
      'Write a pipeline with a `type: parallel` node, or a parallel component.',
    );
    return { parallelNodes: [] };
  }
  const ctx: SpecContext = {
    specFile,
    findings,
    local: options.local ?? true,
    cpuCount: options.cpuCount ?? Math.max(1, os.cpus().length),
    cwd: options.cwd ?? process.cwd(),
  };
  if (options.onlyNode !== undefined) ctx.onlyNode = options.onlyNode;
  return readDocument(parsed.root, options.overrides ?? [], ctx);
}
