/** The run panel's HTML shell: a strict CSP, the stylesheet, and the page script carrying the nonce. */
import { randomBytes } from 'node:crypto';

export interface PanelHtmlInput {
  /** `webview.cspSource`: the only origin styles and images may come from. */
  cspSource: string;
  /** Fresh for every render; only a script carrying it runs. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  title: string;
}

/** A nonce for one render of the page: 128 random bits. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

/** The page's HTML; everything inside `<main>` is built by the script from the host's messages. */
export function renderPanelHtml(input: PanelHtmlInput): string {
  const csp = [
    `default-src 'none'`,
    `img-src ${input.cspSource}`,
    `style-src ${input.cspSource}`,
    `script-src 'nonce-${input.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(input.styleUri)}">
<title>${escapeHtml(input.title)}</title>
</head>
<body>
<main id="app" aria-busy="true"></main>
<script nonce="${escapeHtml(input.nonce)}" src="${escapeHtml(input.scriptUri)}"></script>
</body>
</html>
`;
}

/** Safe inside element text and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
