/** Entry points: read a spec file for a run (throws on errors) or check editor text (never throws). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { SpecContext } from './context';
import { readDocument, type DocumentReading } from './document';
import { Findings } from './findings';
import { SpecError, type Diagnostic, type LoadSpecOptions, type PipelineSpec } from './types';
import { fileLocation, parseYamlSource } from './yaml-source';
import { absolutePaths, withFolderLister } from './local-files';
import { listRelativeFiles } from '../local/partition/listFiles';
import { throwIfAborted } from '../local/partition/abort';

export interface SpecReadOptions extends LoadSpecOptions {
  /** Read for a local run (default): input_data must be local data that exists. */
  local?: boolean;
  /** Folder `--set` paths are relative to; default process.cwd(). */
  cwd?: string;
}

export interface AsyncSpecReadOptions extends SpecReadOptions {
  /** Stops the check: it rejects with an AbortError (name 'AbortError'). */
  signal?: AbortSignal;
  /** Lists a folder (default: the engine's listRelativeFiles). */
  listFolder?: (folder: string, options: { signal?: AbortSignal }) => Promise<string[]>;
}

export interface SpecCheck {
  diagnostics: Diagnostic[];
  /** Present when the spec has no errors. */
  spec?: PipelineSpec;
}

/** Reads the parallel nodes of a spec file; throws SpecError listing every error. */
export async function loadSpec(file: string, options: AsyncSpecReadOptions = {}): Promise<PipelineSpec> {
  const specFile = path.resolve(file);
  let text: string;
  try {
    text = await fs.promises.readFile(specFile, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(e as Error).message})`;
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
  const check = await checkSpecTextAsync(text, specFile, options);
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

/** Rounds of listing after which a spec that keeps asking for new folders is read with what is listed. */
const MAX_LISTING_ROUNDS = 16;
/** Paths made absolute per turn of the event loop. */
const ABSOLUTE_SLICE = 16384;

/**
 * checkSpecText without a synchronous folder listing: the reader runs synchronously (a parse and a stat per
 * path, bounded), and every folder it would list is listed asynchronously in between, with the engine's
 * lister (slices of the event loop, cancellable), then the reader runs again with those listings. Findings
 * that depend on no listing cost one read. Rejects with an AbortError once `signal` aborts.
 */
export async function checkSpecTextAsync(text: string, file: string, options: AsyncSpecReadOptions = {}): Promise<SpecCheck> {
  const { signal } = options;
  const listFolder = options.listFolder ?? ((folder, o) => listRelativeFiles(folder, o));
  const listings = new Map<string, { relative: string[]; absolute: string[] } | Error>();
  for (let round = 0; ; round++) {
    throwIfAborted(signal);
    const wanted = new Set<string>();
    const listed = (folder: string) => {
      const listing = listings.get(path.resolve(folder));
      if (listing instanceof Error) throw listing;
      if (!listing) wanted.add(path.resolve(folder));
      return listing;
    };
    const check = withFolderLister(
      { relative: (folder) => listed(folder)?.relative ?? [], absolute: (folder) => listed(folder)?.absolute ?? [] },
      () => checkSpecText(text, file, options),
    );
    if (wanted.size === 0 || round >= MAX_LISTING_ROUNDS) return check;
    for (const folder of wanted) {
      try {
        const relative = await listFolder(folder, { signal });
        listings.set(folder, { relative, absolute: await absoluteInSlices(folder, relative, signal) });
      } catch (e) {
        if ((e as Error)?.name === 'AbortError' || signal?.aborted) throw e;
        // Read errors surface where a synchronous listing would have thrown them.
        listings.set(folder, e instanceof Error ? e : new Error(String(e)));
      }
    }
  }
}

/** Absolute paths of a listing, made in slices between turns of the event loop. */
async function absoluteInSlices(folder: string, relative: string[], signal: AbortSignal | undefined): Promise<string[]> {
  const out = new Array<string>(relative.length);
  for (let i = 0; i < relative.length; i += ABSOLUTE_SLICE) {
    absolutePaths(folder, relative, i, Math.min(relative.length, i + ABSOLUTE_SLICE), out);
    if (i + ABSOLUTE_SLICE < relative.length) await new Promise<void>((resolve) => setImmediate(resolve));
    throwIfAborted(signal);
  }
  return out;
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
