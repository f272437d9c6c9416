/** A node's code folder (`task.code` of a parallel node, `code` of a command node), as a local run reads it. */
import type { SpecContext } from './context';
import { isRemoteReference, localPathOf, pathKind } from './local-files';
import { baseDirOf, stringOf, valueOf, type YamlMap, type YamlNode } from './yaml-source';

export interface CodeFolder {
  dir: string;
  local: boolean;
  exists: boolean;
  remote?: string;
}

/** How messages name the field and what the folder holds, e.g. `task.code` / "the entry script". */
export interface CodeFolderWords {
  field: string;
  holds: string;
}

/**
 * The folder `map`'s `code` names (relative to the YAML that writes it), or the folder of the YAML holding
 * `fallbackNode` when `code` is left out. A registered code asset is an error for a local run and kept as a
 * reference otherwise; a missing folder (or a file) is an error with the fix.
 */
export function readCodeFolder(map: YamlMap, fallbackNode: YamlNode, ctx: SpecContext, words: CodeFolderWords): CodeFolder {
  const node = valueOf(map, 'code');
  const text = stringOf(node);
  if (!node || text === undefined) return { dir: baseDirOf(fallbackNode, ctx.cwd), local: true, exists: true };
  if (isRemoteReference(text)) {
    if (ctx.local)
      ctx.findings.error(
        'remote-code',
        node.loc,
        `${words.field} ${text} is a registered code asset; local runs need the source folder.`,
        `Point ${words.field} at the local folder holding ${words.holds}.`,
      );
    return { dir: text, local: false, exists: false, remote: text };
  }
  const dir = localPathOf(text, node, ctx.cwd);
  const kind = pathKind(dir);
  if (kind !== 'folder') {
    ctx.findings.error(
      'code-missing',
      node.loc,
      `${words.field} ${text} ${kind === 'missing' ? 'does not exist' : 'is a file, not a folder'} (looked for ${dir}).`,
      `Point ${words.field} at the folder holding ${words.holds} (relative to the YAML file's folder).`,
    );
  }
  return { dir, local: true, exists: kind === 'folder' };
}
