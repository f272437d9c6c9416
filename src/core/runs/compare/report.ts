/** A comparison for people: plain text for the terminal, Markdown for an editor preview. */
import type { Comparison } from './compare';

/** "98 rows match, 1 differs, 1 only in cloud job x, 0 only in local run y". */
export function comparisonHeadline(c: Comparison): string {
  const n = c.counts;
  const parts = [
    `${n.equal} equal`,
    `${n.differing} differ${n.differing === 1 ? 's' : ''}`,
    `${n.onlyLeft} only in ${c.left.label}`,
    `${n.onlyRight} only in ${c.right.label}`,
  ];
  if (n.outsideSample) parts.push(`${n.outsideSample} outside the local run's sample`);
  return `${c.left.rows} rows in ${c.left.label}, ${c.right.rows} in ${c.right.label}: ${parts.join(', ')}.`;
}

/** True when the two outputs hold the same rows (order aside). */
export function sameResults(c: Comparison): boolean {
  return c.counts.differing === 0 && c.counts.onlyLeft === 0 && c.counts.onlyRight === 0 && c.counts.duplicateKeys === 0;
}

const more = (shown: number, total: number) => (total > shown ? [`  … and ${total - shown} more`] : []);

export function comparisonText(c: Comparison): string {
  const lines = [
    comparisonHeadline(c),
    `Rows matched by ${c.layout === 'lines' ? 'their leading token (the item name)' : `column ${c.keyColumn}`}.`,
  ];
  if (c.differing.length) {
    lines.push('', `Differing rows (${c.counts.differing}):`);
    for (const d of c.differing) {
      lines.push(`  ${d.key}:`);
      for (const col of d.columns) {
        const i = c.columns.indexOf(col);
        lines.push(
          `    ${col}: ${JSON.stringify(d.left[i] ?? '')} (${c.left.label}) vs ${JSON.stringify(d.right[i] ?? '')} (${c.right.label})`,
        );
      }
    }
    lines.push(...more(c.differing.length, c.counts.differing));
  }
  const list = (title: string, rows: { key: string; cells: string[] }[], total: number) => {
    if (!rows.length) return;
    lines.push(
      '',
      `${title} (${total}):`,
      ...rows.map((r) => `  ${r.key}${r.cells.length > 1 ? `  ${r.cells.slice(1).join(' | ')}` : ''}`),
      ...more(rows.length, total),
    );
  };
  list(`Only in ${c.left.label}`, c.onlyLeft, c.counts.onlyLeft);
  list(`Only in ${c.right.label}`, c.onlyRight, c.counts.onlyRight);
  if (c.outsideSample.length) {
    lines.push(
      '',
      `Not compared: ${c.counts.outsideSample} rows of ${c.left.label} for items the local run did not process (it ran on a sample): ${c.outsideSample.slice(0, 10).join(', ')}${c.counts.outsideSample > 10 ? ', …' : ''}`,
    );
  }
  if (c.duplicateKeys.length) {
    lines.push('', `Keys on more than one row (only the first row of each was compared; pick a unique column with --key):`);
    lines.push(
      ...c.duplicateKeys.slice(0, 20).map((d) => `  ${d.key}: ${d.left} in ${c.left.label}, ${d.right} in ${c.right.label}`),
      ...more(Math.min(20, c.duplicateKeys.length), c.counts.duplicateKeys),
    );
  }
  return lines.join('\n') + '\n';
}

const cell = (s: string | undefined) => (s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function comparisonMarkdown(c: Comparison): string {
  const n = c.counts;
  const out = [
    `# ${c.left.label} vs ${c.right.label}`,
    '',
    comparisonHeadline(c),
    '',
    `| | rows |`,
    `|---|---|`,
    `| equal | ${n.equal} |`,
    `| differing | ${n.differing} |`,
    `| only in ${c.left.label} | ${n.onlyLeft} |`,
    `| only in ${c.right.label} | ${n.onlyRight} |`,
  ];
  if (n.outsideSample) out.push(`| outside the local sample | ${n.outsideSample} |`);
  if (n.duplicateKeys) out.push(`| keys on several rows | ${n.duplicateKeys} |`);
  out.push(
    '',
    `Rows matched by ${c.layout === 'lines' ? 'their leading token (the item name)' : `column \`${c.keyColumn}\``}. Files: \`${c.left.file}\`, \`${c.right.file}\`.`,
  );
  if (c.differing.length) {
    out.push(
      '',
      `## Differing rows (${n.differing})`,
      '',
      `| ${cell(c.keyColumn)} | column | ${cell(c.left.label)} | ${cell(c.right.label)} |`,
      '|---|---|---|---|',
    );
    for (const d of c.differing)
      for (const col of d.columns) {
        const i = c.columns.indexOf(col);
        out.push(`| ${cell(d.key)} | ${cell(col)} | ${cell(d.left[i])} | ${cell(d.right[i])} |`);
      }
  }
  const table = (title: string, rows: { key: string; cells: string[] }[], total: number) => {
    if (!rows.length) return;
    out.push('', `## ${title} (${total})`, '', `| ${c.columns.map(cell).join(' | ')} |`, `|${c.columns.map(() => '---').join('|')}|`);
    for (const r of rows) out.push(`| ${c.columns.map((_, i) => cell(r.cells[i])).join(' | ')} |`);
  };
  table(`Only in ${c.left.label}`, c.onlyLeft, n.onlyLeft);
  table(`Only in ${c.right.label}`, c.onlyRight, n.onlyRight);
  return out.join('\n') + '\n';
}
