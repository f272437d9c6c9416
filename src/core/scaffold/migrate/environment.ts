/** v1 Environment → v2 `task.environment`: docker.base_image + a conda file from CondaDependencies.create. */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { relativeTo } from './data';
import type { MappingRow, SideFile } from './plan';
import { literalOf, srcOf, type Value } from './values';

export interface EnvironmentMapping {
  environment?: unknown;
  files: SideFile[];
  rows: Omit<MappingRow, 'step'>[];
}

/** The image v1 used when `docker.base_image` is not set (azureml-core's DEFAULT_CPU_IMAGE). */
export const DEFAULT_IMAGE = 'mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04';
/** CondaDependencies.create's python when none is given in recent azureml-core releases. */
const DEFAULT_PYTHON = '3.8';

/** Folders paths are resolved against: the v1 file's (baseDir) and the spec's (outDir). */
export interface EnvironmentDirs {
  baseDir: string;
  outDir: string;
}

export function environmentOf(v: Value, node: string, dirs: EnvironmentDirs): EnvironmentMapping {
  if (v.t === 'environment' && v.registered) {
    return {
      environment: `azureml:${v.registered}@latest`,
      files: [],
      rows: [{ v1: `Environment.get(ws, ${JSON.stringify(v.registered)})`, v2: `environment: azureml:${v.registered}@latest`, at: v.at }],
    };
  }
  if (v.t !== 'environment') {
    return {
      files: [],
      rows: [
        {
          v1: `environment = ${describe(v)}`,
          note: 'Not an Environment built in this file: set task.environment by hand.',
          at: v.at,
          manual: true,
        },
      ],
    };
  }
  const rows: Omit<MappingRow, 'step'>[] = [];
  const files: SideFile[] = [];
  const imageLit = v.image ? literalOf(v.image) : undefined;
  const image = imageLit && typeof imageLit.v === 'string' ? imageLit.v : DEFAULT_IMAGE;
  rows.push(
    v.image
      ? imageLit
        ? { v1: `docker.base_image = ${describe(v.image)}`, v2: `environment.image: ${image}`, at: v.image.at }
        : {
            v1: `docker.base_image = ${describe(v.image)}`,
            v2: `environment.image: ${image}`,
            note: 'Computed at run time: the default CPU image was written; change it.',
            at: v.image.at,
            manual: true,
          }
      : {
          v1: `Environment(${JSON.stringify(v.name ?? '')})`,
          v2: `environment.image: ${image}`,
          note: 'No docker.base_image: v1 used its default CPU image.',
          at: v.at,
        },
  );
  const environment: Record<string, unknown> = { image };
  const requirements = v.requirementsFile ? readRequirements(path.resolve(dirs.baseDir, v.requirementsFile)) : undefined;
  if (v.condaFile) {
    const conda = relativeTo(dirs.outDir, path.resolve(dirs.baseDir, v.condaFile));
    environment.conda_file = conda;
    rows.push({
      v1: `Environment.from_conda_specification(file_path=${JSON.stringify(v.condaFile)})`,
      v2: `environment.conda_file: ${conda}`,
      at: v.at,
    });
  } else if (v.requirementsFile && !requirements) {
    rows.push({
      v1: `Environment.from_pip_requirements(file_path=${JSON.stringify(v.requirementsFile)})`,
      note: 'The requirements file is not there: write a conda file with its packages under `pip:` by hand.',
      at: v.at,
      manual: true,
    });
  } else if (requirements) {
    const fileName = `${node}_conda.yml`;
    files.push({ path: fileName, text: condaText(v.name ?? `${node}-env`, DEFAULT_PYTHON, [], requirements) });
    environment.conda_file = `./${fileName}`;
    rows.push({
      v1: `Environment.from_pip_requirements(file_path=${JSON.stringify(v.requirementsFile)})`,
      v2: `environment.conda_file: ./${fileName} (its ${requirements.length} requirement(s) under pip:)`,
      note: `python=${DEFAULT_PYTHON} written (no python version in a requirements file).`,
      at: v.at,
    });
  } else if (v.conda?.t === 'conda') {
    const fileName = `${node}_conda.yml`;
    const pip = v.conda.pip.map((p) => literalOf(p)?.v).filter((p): p is string => typeof p === 'string');
    const conda = v.conda.conda.map((p) => literalOf(p)?.v).filter((p): p is string => typeof p === 'string');
    files.push({ path: fileName, text: condaText(v.name ?? `${node}-env`, v.conda.python ?? DEFAULT_PYTHON, conda, pip) });
    environment.conda_file = `./${fileName}`;
    rows.push({
      v1: `CondaDependencies.create(pip_packages=[${pip.join(', ')}])`,
      v2: `environment.conda_file: ./${fileName}`,
      note: `${v.conda.python ? '' : `python=${DEFAULT_PYTHON} written (CondaDependencies' default). `}azureml-core stays in the list: the parallel driver in the cloud imports it.`,
      at: v.conda.at,
    });
    if (pip.length !== v.conda.pip.length)
      rows.push({
        v1: 'pip_packages',
        note: 'Some packages are computed at run time: add them to the conda file by hand.',
        at: v.conda.at,
        manual: true,
      });
  } else if (v.conda) {
    rows.push({
      v1: `python.conda_dependencies = ${describe(v.conda)}`,
      note: 'Not a CondaDependencies.create(...) call: write the conda file by hand.',
      at: v.conda.at,
      manual: true,
    });
  }
  return { environment, files, rows };
}

/** A conda file: python, conda packages, pip, then the pip packages. */
function condaText(name: string, python: string, conda: string[], pip: string[]): string {
  const dependencies: unknown[] = [`python=${python}`, ...conda, 'pip'];
  if (pip.length) dependencies.push({ pip });
  return stringify({ name, channels: ['conda-forge'], dependencies }, { lineWidth: 0 });
}

/** The requirement lines of a pip requirements file (comments and blank lines dropped); undefined when it is missing. */
function readRequirements(file: string): string[] | undefined {
  if (!existsSync(file)) return undefined;
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean);
}

function describe(v: Value): string {
  switch (v.t) {
    case 'lit':
      return JSON.stringify(v.v);
    case 'unknown':
      return v.src;
    default:
      return v.t === 'object' ? v.src : `(${v.t})`;
  }
}

export { srcOf };
