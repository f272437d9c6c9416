/** Unknown keys: a misspelt key is silently ignored by nothing in az ml, so it is an error here too. */
import type { Findings } from './findings';
import { didYouMean } from './suggest';
import type { YamlMap } from './yaml-source';

/** Reports every key of `map` not in `allowed`, with the closest known key as a suggestion. */
export function checkKeys(map: YamlMap, allowed: readonly string[], where: string, findings: Findings): void {
  for (const entry of map.entries) {
    if (allowed.includes(entry.key)) continue;
    findings.error(
      'unknown-key',
      entry.keyLoc,
      `Unknown key \`${entry.key}\` in ${where}.${didYouMean(entry.key, allowed)}`,
      `Use one of: ${allowed.join(', ')}.`,
    );
  }
}
