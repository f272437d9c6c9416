import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { makeNonce, renderPanelHtml } from '../../../src/vscode/panel/html';

// What VS Code passes today: webview resources come from this CDN origin, which the CSP names.
const cspSource = 'https://*.vscode-cdn.net';
const nonce = 'bm9uY2Utc2FtcGxlLTEyMzQ=';
const html = renderPanelHtml({
  cspSource,
  nonce,
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.css',
  title: 'Run <digits> & "more"',
});
const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];

test('the page carries a strict CSP: nothing by default, styles and images from the webview, scripts by nonce', () => {
  assert.ok(csp, 'a CSP meta tag');
  const directives = Object.fromEntries(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values]),
  );
  assert.deepEqual(directives, {
    'default-src': ["'none'"],
    'img-src': [cspSource],
    'style-src': [cspSource],
    'script-src': [`'nonce-${nonce}'`],
  });
});

test('the CSP comes before anything that loads', () => {
  assert.ok(html.indexOf('Content-Security-Policy') < html.search(/<(link|script)\b/));
});

test('every script tag carries the nonce, and none is inline', () => {
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1);
  for (const [, attrs, body] of scripts) {
    assert.match(attrs, new RegExp(`\\bnonce="${nonce}"`));
    assert.match(attrs, /\bsrc="/);
    assert.equal(body.trim(), '');
  }
});

test('no remote content: every URL is the webview resource origin', () => {
  const urls = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
  assert.equal(urls.length, 2);
  for (const url of urls) assert.ok(url.startsWith('https://file+.vscode-resource.vscode-cdn.net/'), url);
  const withoutOwnOrigin = html.replaceAll(cspSource, '').replaceAll('https://file+.vscode-resource.vscode-cdn.net/', '');
  assert.doesNotMatch(withoutOwnOrigin, /https?:/);
});

test('no inline handlers, inline styles or style elements', () => {
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i);
  assert.doesNotMatch(html, /\sstyle\s*=/i);
  assert.doesNotMatch(html, /<style\b/i);
});

test('the title is escaped', () => {
  assert.match(html, /<title>Run &lt;digits&gt; &amp; &quot;more&quot;<\/title>/);
});

test('a fresh nonce each render, 128 bits', () => {
  const a = makeNonce();
  assert.notEqual(a, makeNonce());
  assert.equal(Buffer.from(a, 'base64').length, 16);
});

// The bundle is built by the test command before the tests run (esbuild.mjs); checked when present.
const bundle = path.resolve(__dirname, '../../../../dist/webview.js');
test('the page script never turns text into markup or code', { skip: !existsSync(bundle) && 'dist/webview.js not built' }, () => {
  const js = readFileSync(bundle, 'utf8');
  for (const forbidden of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function']) {
    assert.ok(!js.includes(forbidden), `dist/webview.js uses ${forbidden}`);
  }
  assert.doesNotMatch(js, /setAttribute\(\s*["'](style|on[a-z]+)["']/);
});
