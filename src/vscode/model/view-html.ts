/**
 * The model view's HTML: the inspection (inputs, outputs, opsets, size) and the preview table. Static HTML
 * with no script: a CSP that allows only the nonce'd stylesheet, every value escaped, and the only links
 * command links to this extension's model commands (the panel enables just those).
 */
import { escapeHtml } from '../panel/html';
import type { ModelInfo, PreviewResult, TensorInfo } from '../../core/scaffold/onnx';
import { formatShape, formatSize } from '../../core/scaffold/onnx';

export interface ModelViewInput {
  nonce: string;
  info: ModelInfo;
  /** Shown below the inspection when present. */
  preview?: { result: PreviewResult; folder: string; labelsFromNames: boolean };
  /** Command links: generate and preview for this model. */
  generateHref: string;
  previewHref: string;
}

export function renderModelView(v: ModelViewInput): string {
  const csp = `default-src 'none'; style-src 'nonce-${v.nonce}'`;
  const { info } = v;
  const opsets = Object.entries(info.opsets)
    .map(([domain, version]) => `${domain === '' ? 'ai.onnx' : domain} ${version}`)
    .join(', ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(baseName(info.file))}</title>
<style nonce="${escapeHtml(v.nonce)}">${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(baseName(info.file))}</h1>
<p class="meta">${escapeHtml(formatSize(info.sizeBytes))} · IR version ${info.irVersion} · opset ${escapeHtml(opsets || 'none')}${info.producer ? ` · made by ${escapeHtml(info.producer)}${info.producerVersion ? ` ${escapeHtml(info.producerVersion)}` : ''}` : ''}</p>
${info.docString ? `<p class="doc">${escapeHtml(info.docString)}</p>` : ''}
<h2>Inputs</h2>
${tensorTable(info.inputs)}
<h2>Outputs</h2>
${tensorTable(info.outputs)}
<p class="actions"><a href="${escapeHtml(v.generateHref)}">New Entry Script from Model…</a> <a href="${escapeHtml(v.previewHref)}">Preview Model on Sample…</a></p>
${v.preview ? previewSection(v.preview) : ''}
</main>
</body>
</html>
`;
}

function tensorTable(tensors: TensorInfo[]): string {
  if (tensors.length === 0) return '<p>None.</p>';
  const rows = tensors
    .map((t) => {
      const symbolic = (t.shape ?? []).filter((d) => typeof d === 'string');
      const note = symbolic.length
        ? `<span class="note">${symbolic.map((d) => (d === '?' ? 'a dimension of any size' : `${escapeHtml(String(d))}: any size`)).join(', ')}</span>`
        : '';
      return `<tr><td><code>${escapeHtml(t.name)}</code></td><td>${escapeHtml(t.elementType)}</td><td><code>${escapeHtml(formatShape(t.shape))}</code> ${note}</td></tr>`;
    })
    .join('\n');
  return `<table><thead><tr><th>Name</th><th>Type</th><th>Shape</th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function previewSection(p: NonNullable<ModelViewInput['preview']>): string {
  const { result } = p;
  const t = result.timings;
  const hasTop = result.rows.some((r) => r.top);
  const rows = result.rows
    .map((r) => {
      const expected = p.labelsFromNames ? /label([^._-]+)/.exec(r.input)?.[1] : undefined;
      const mark = expected === undefined || r.label === undefined ? '' : expected === r.label ? ' class="agree"' : ' class="disagree"';
      const cells = hasTop
        ? `<td${mark}>${escapeHtml(r.label ?? '')}</td><td>${r.score === undefined ? '' : r.score.toFixed(4)}</td><td>${escapeHtml(
            (r.top ?? [])
              .slice(1)
              .map((x) => `${x.label} ${x.score.toFixed(3)}`)
              .join(', '),
          )}</td>`
        : `<td colspan="3"><code>${escapeHtml(r.answer)}</code></td>`;
      return `<tr><td><code>${escapeHtml(r.input)}</code></td>${cells}</tr>`;
    })
    .join('\n');
  const head = hasTop ? '<th>Top class</th><th>Score</th><th>Next</th>' : '<th colspan="3">Outputs</th>';
  return `<h2>Preview on ${result.rows.length} input${result.rows.length === 1 ? '' : 's'} of ${escapeHtml(p.folder)}</h2>
<p class="meta">onnxruntime-node on this machine's CPU: session created in ${ms(t.sessionCreateMs)}, ${result.batchSize} input${result.batchSize === 1 ? '' : 's'} prepared in ${ms(t.preprocessMs)}, scored in ${ms(t.runMs)}${t.loadRuntimeMs > 0 ? ` (onnxruntime loaded in ${ms(t.loadRuntimeMs)})` : ''}. The generated entry script prepares each input the same way.</p>
<table><thead><tr><th>Input</th>${head}</tr></thead><tbody>
${rows}
</tbody></table>`;
}

function ms(x: number): string {
  return x < 10 ? `${x.toFixed(1)} ms` : `${Math.round(x)} ms`;
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 20px 20px; }
h1 { font-size: 1.5em; margin: 16px 0 4px; }
h2 { font-size: 1.15em; margin: 20px 0 6px; }
.meta, .doc, .note { color: var(--vscode-descriptionForeground); }
.note { margin-left: 8px; font-size: 0.9em; }
table { border-collapse: collapse; min-width: 50%; }
th, td { text-align: left; padding: 4px 12px 4px 0; border-bottom: 1px solid var(--vscode-editorWidget-border, rgba(128,128,128,0.35)); }
th { font-weight: 600; }
code { font-family: var(--vscode-editor-font-family); }
a { color: var(--vscode-textLink-foreground); margin-right: 16px; }
td.agree::after { content: " ✓"; color: var(--vscode-testing-iconPassed, #73c991); }
td.disagree::after { content: " ✗ (file name says otherwise)"; color: var(--vscode-testing-iconFailed, #f14c4c); }
`;
