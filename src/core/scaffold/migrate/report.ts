/** The migration report (markdown), written beside the spec: each v1 setting → where it went, what is left. */
import type { MigrationPlan, MappingRow } from './plan';
import { describeAt } from './source';

export interface ReportNames {
  /** The v1 file, as the report names it. */
  source: string;
  spec: string;
}

export function reportText(plan: MigrationPlan, names: ReportNames): string {
  const out: string[] = [];
  const manual = plan.rows.filter((r) => r.manual);
  out.push(`# Migration report: ${names.source} → ${names.spec}`, '');
  out.push(
    `Converted by \`parallel-run migrate\` from Azure ML SDK v1 (ParallelRunConfig / ParallelRunStep) to an \`az ml\` v2 pipeline. ` +
      `Run it here with \`parallel-run run ${names.spec}\`; submit it with \`az ml job create -f ${names.spec}\`.`,
    '',
  );
  out.push(
    manual.length || plan.scriptChanges.length
      ? `**To do by hand: ${manual.length} setting(s), ${plan.scriptChanges.length} entry-script change(s)** (below).`
      : '**Nothing left to do by hand.**',
    '',
  );
  const cloudInputs = Object.entries((plan.spec.inputs ?? {}) as Record<string, unknown>).filter(
    ([, v]) =>
      typeof v === 'object' && v !== null && /^(azureml:|https?:|wasbs?:|abfss?:)/.test(String((v as { path?: unknown }).path ?? '')),
  );
  if (cloudInputs.length) {
    out.push('## Run it locally', '');
    out.push('These inputs are in the cloud; point them at local copies for a local run:', '');
    const sets = cloudInputs.map(
      ([name, v]) => `  --set inputs.${name}.path=<local ${(v as { type?: string }).type === 'custom_model' ? 'model folder' : 'data'}>`,
    );
    out.push('```', `parallel-run run ${names.spec} \\`, sets.join(' \\\n'), '```', '');
  }
  if (plan.renames.length) {
    out.push('## Step names', '');
    for (const r of plan.renames) out.push(`- \`${r.v1}\` → \`${r.v2}\`: v2 node names are identifiers (letters, digits, \`_\`).`);
    out.push('');
  }
  const steps = [...new Set(plan.rows.map((r) => r.step))];
  out.push('## Settings', '');
  for (const step of steps) {
    out.push(step ? `### Step \`${step}\`` : '### Pipeline', '');
    out.push('| v1 | v2 | notes |', '|---|---|---|');
    for (const r of plan.rows.filter((x) => x.step === step)) out.push(row(r, names.source));
    out.push('');
  }
  if (manual.length) {
    out.push('## Not mapped: to do by hand', '');
    for (const r of manual) out.push(`- ${where(r, names.source)}\`${cell(r.v1)}\`: ${r.note ?? ''}`);
    out.push('');
  }
  if (plan.cloudTables.length) {
    out.push('## MLTable files to create in the cloud', '');
    for (const t of plan.cloudTables) {
      out.push(
        `Input \`${t.input}\`: save this as \`MLTable\` in \`${t.folder}\` (or in a local folder registered with \`az ml data create --type mltable --path <folder>\`):`,
        '',
        '```yaml',
        t.text.trimEnd(),
        '```',
        '',
      );
    }
  }
  out.push('## Entry-script changes', '');
  if (plan.scriptChanges.length === 0)
    out.push('None found: the entry script uses no v1-only call (`Model.get_model_path`, `Run.get_context`, ...).', '');
  for (const c of plan.scriptChanges) out.push(`- ${describeAt(c.script, c.at)}: \`${cell(c.code)}\` — ${c.change}`);
  if (plan.scriptChanges.length) out.push('');
  if (plan.notes.length) {
    out.push('## Notes', '');
    for (const n of plan.notes) out.push(`- ${n}`);
    out.push('');
  }
  return out.join('\n');
}

function where(r: MappingRow, source: string): string {
  return r.at ? `${describeAt(source, r.at)}: ` : '';
}

function row(r: MappingRow, source: string): string {
  const v1 = `\`${cell(r.v1)}\`${r.at ? ` (${r.at.cell !== undefined ? `cell ${r.at.cell}, line ${r.at.line}` : `line ${r.at.line}`})` : ''}`;
  const v2 = r.v2 ? `\`${cell(r.v2)}\`` : '**not mapped**';
  void source;
  return `| ${v1} | ${v2} | ${cell(r.note ?? '')}${r.manual ? ' **(by hand)**' : ''} |`;
}

/** Text safe inside a table cell and backticks. */
function cell(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .replace(/`/g, "'");
}
