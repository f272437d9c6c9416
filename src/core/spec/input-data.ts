/**
 * input_data: which input is split into mini-batches, and what that input holds on this machine
 * (a folder or file of items, or the data files of a table).
 */
import type { SpecContext } from './context';
import { describeBinding, wholeBinding } from './bindings';
import type { BoundInput } from './inputs';
import { pathKind } from './local-files';
import { readTable } from './mltable';
import { didYouMean } from './suggest';
import type { InputData, SourceLocation } from './types';
import { valueOf, type YamlMap, type YamlNode } from './yaml-source';

export interface InputDataScope {
  ctx: SpecContext;
  inputs: Map<string, BoundInput>;
  /** Where to point when input_data is missing altogether: the node's name. */
  nodeLocation: SourceLocation;
  /** `jobs.<node>.` for pipeline nodes, '' for a standalone file: how `--set` reaches this node. */
  setPrefix: string;
}

export function readInputData(map: YamlMap, scope: InputDataScope): InputData | undefined {
  const { ctx } = scope;
  const node = valueOf(map, 'input_data');
  if (!node) {
    ctx.findings.error(
      'input-data-missing',
      scope.nodeLocation,
      'This parallel node has no `input_data`: nothing to split into mini-batches.',
      'Add `input_data: ${{inputs.<name>}}` naming the input to split.',
    );
    return undefined;
  }
  const input = boundInput(node, scope);
  if (!input) return undefined;
  if (input.type === 'uri_folder' || input.type === 'uri_file') return fileInput(input, node, scope);
  if (input.type === 'mltable') return tableInput(input, node, scope);
  ctx.findings.error(
    'input-data-type',
    node.loc,
    `input_data binds \`${input.name}\`, a ${input.type} input; parallel jobs split uri_folder, uri_file or mltable data.`,
    `Give \`${input.name}\` \`type: uri_folder\` (files) or \`type: mltable\` (rows).`,
  );
  return undefined;
}

function boundInput(node: YamlNode, scope: InputDataScope): BoundInput | undefined {
  const { ctx, inputs } = scope;
  const target = node.kind === 'scalar' ? wholeBinding(node.value) : undefined;
  if (!target || target.scope !== 'inputs') {
    const written = target ? describeBinding(target) : node.kind === 'scalar' ? String(node.value) : `a ${node.kind}`;
    ctx.findings.error(
      'input-data-binding',
      node.loc,
      `input_data is ${written}; it must name one of this node's inputs as \`\${{inputs.<name>}}\`.`,
      'Declare the data under `inputs:` (e.g. `images: ${{parent.inputs.images}}`) and write `input_data: ${{inputs.images}}`.',
    );
    return undefined;
  }
  const input = inputs.get(target.name);
  if (!input) {
    ctx.findings.error(
      'unknown-binding',
      node.loc,
      `input_data binds \`${target.name}\`, which is not an input of this node.${didYouMean(target.name, [...inputs.keys()])}`,
      `Declare \`${target.name}\` under the node's \`inputs:\`, or bind an existing input.`,
    );
    return undefined;
  }
  if (input.reported) return undefined;
  if (input.unbound) {
    ctx.findings.error(
      'input-data-unbound',
      node.loc,
      `input_data binds \`${target.name}\`, which has no value or path.`,
      `Give it data: \`path: ./data\` in the YAML, or run with --set ${setPathOf(input, scope)}=./sample.`,
    );
    return undefined;
  }
  return input;
}

function setPathOf(input: BoundInput, scope: InputDataScope): string {
  return input.pipelineInput ? `inputs.${input.pipelineInput}.path` : `${scope.setPrefix}inputs.${input.name}.path`;
}

/** A cloud-only input: an error for local runs, a reference for submission. */
function remoteOf(input: BoundInput, node: YamlNode, scope: InputDataScope): string | undefined {
  if (input.remote === undefined) return undefined;
  if (scope.ctx.local) {
    scope.ctx.findings.error(
      'remote-input',
      node.loc,
      `input_data \`${input.name}\` is in the cloud (${input.remote}); local runs read local data.`,
      `Use a local copy: --set ${setPathOf(input, scope)}=./sample`,
    );
  }
  return input.remote;
}

function fileInput(input: BoundInput, node: YamlNode, scope: InputDataScope): InputData | undefined {
  const type = input.type as 'uri_folder' | 'uri_file';
  // Another step's output: read once that step ran (core/pipeline reads this node again with the path).
  if (input.from) return { kind: 'files', inputName: input.name, type, path: '', remote: input.upstream, upstream: input.from };
  const remote = remoteOf(input, node, scope);
  if (remote !== undefined) return scope.ctx.local ? undefined : { kind: 'files', inputName: input.name, type, path: '', remote };
  const path = input.path!;
  const kind = pathKind(path);
  if (kind === 'missing') return undefined; // reported where the path is written
  const expected = type === 'uri_folder' ? 'folder' : 'file';
  if (kind !== expected) {
    scope.ctx.findings.error(
      'input-path-type',
      (input.pathNode ?? input.origin).loc,
      `Input \`${input.name}\` is a ${type} but ${path} is a ${kind}.`,
      type === 'uri_folder' ? 'Use `type: uri_file` for a single file, or point at its folder.' : 'Use `type: uri_folder` for a folder.',
    );
    return undefined;
  }
  return { kind: 'files', inputName: input.name, type, path };
}

function tableInput(input: BoundInput, node: YamlNode, scope: InputDataScope): InputData | undefined {
  const remote = input.from ? input.upstream : remoteOf(input, node, scope);
  if (remote !== undefined) {
    if (scope.ctx.local && !input.from) return undefined;
    const tabular = {
      format: 'delimited' as const,
      delimiter: ',',
      header: 'all_files_same_headers' as const,
      encoding: 'utf8' as const,
      source: remote,
    };
    const data: InputData = { kind: 'tabular', inputName: input.name, type: 'mltable', path: '', files: [], tabular, remote };
    if (input.from) data.upstream = input.from;
    return data;
  }
  const path = input.path!;
  if (pathKind(path) === 'missing') return undefined;
  const table = readTable(path, input.pathNode ?? input.origin, scope.ctx);
  if (!table) return undefined;
  if (table.kind === 'files') {
    const files: InputData = { kind: 'files', inputName: input.name, type: 'mltable', path, files: table.files, source: table.source };
    if (table.partitionFormat !== undefined) files.partitionFormat = table.partitionFormat;
    return files;
  }
  const data: InputData = {
    kind: 'tabular',
    inputName: input.name,
    type: 'mltable',
    path,
    files: table.files,
    tabular: table.tabular,
  };
  if (table.partitionFormat !== undefined) data.partitionFormat = table.partitionFormat;
  return data;
}
