/** Unknown keys: a misspelt key is silently ignored by nothing in az ml, so it is an error here too. */
import type { Findings } from './findings';
import { closestMatch, didYouMean } from './suggest';
import type { YamlMap } from './yaml-source';

/** Reports every key of `map` not in `allowed`, with the closest known key as a suggestion. */
export function checkKeys(map: YamlMap, allowed: readonly string[], where: string, findings: Findings): void {
  for (const entry of map.entries) {
    if (allowed.includes(entry.key)) continue;
    const match = closestMatch(entry.key, allowed);
    // One line a user acts on: the rename when a key is close, never the whole list of keys.
    findings.error(
      'unknown-key',
      entry.keyLoc,
      `Unknown key \`${entry.key}\` in ${where}.${didYouMean(entry.key, allowed)}`,
      match
        ? `Rename it to \`${match}\`.`
        : allowed.length <= 6
          ? `Use one of: ${allowed.join(', ')}.`
          : `Remove it, or rename it to a key ${where} reads (${allowed.length} keys; the hover on a key tells what it does).`,
    );
  }
}
