/**
 * A stand-in for the `vscode` module, enough for activate() to run in plain Node: every property is a
 * callable, constructible stub that records its path, except the few whose values code computes with
 * (settings return their defaults; the workspace is trusted and empty).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The names `vscode` exports, from its type declarations: bundlers copy a module's own properties. */
function apiNames(): string[] {
  const dts = readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
  return [...new Set([...dts.matchAll(/^\t?export (?:namespace|class|enum|const|function|let) (\w+)/gm)].map((m) => m[1]))];
}

export function fakeVscode(touched: Set<string>): unknown {
  const overrides: Record<string, unknown> = {
    'workspace.getConfiguration': () => ({
      get: (_key: string, fallback?: unknown) => fallback,
      has: () => false,
      inspect: () => undefined,
      update: async () => undefined,
    }),
    'workspace.workspaceFolders': undefined,
    'workspace.textDocuments': [],
    // activate() reports its own failure this way: the bench must not time a failed activation.
    'window.showErrorMessage': (message: string) => {
      throw new Error(`activate() failed: ${message}`);
    },
    'workspace.isTrusted': true,
    'env.uiKind': 1,
    'env.remoteName': undefined,
    'extensions.getExtension': () => undefined,
  };
  const made = new Map<string, unknown>();
  const stub = (name: string): unknown => {
    if (made.has(name)) return made.get(name);
    const target = function () {} as unknown as Record<PropertyKey, unknown>;
    const proxy = new Proxy(target, {
      get(t, prop) {
        if (prop === 'then' || typeof prop === 'symbol') return undefined; // not a promise, not a primitive
        if (prop === 'prototype') return t.prototype;
        const child = `${name}.${prop}`;
        touched.add(child);
        return child in overrides ? overrides[child] : stub(child);
      },
      apply: () => stub(`${name}()`),
      construct: () => stub(`new ${name}`) as object,
    });
    made.set(name, proxy);
    return proxy;
  };
  const api: Record<string, unknown> = {};
  for (const name of apiNames()) {
    Object.defineProperty(api, name, {
      enumerable: true,
      get: () => (touched.add(name), name in overrides ? overrides[name] : stub(name)),
    });
  }
  return api;
}

/** An ExtensionContext with what activate() reads: subscriptions, paths, state. */
export function fakeContext(extensionPath: string): unknown {
  const memento = () => {
    const values = new Map<string, unknown>();
    return {
      get: (k: string, d?: unknown) => (values.has(k) ? values.get(k) : d),
      update: async (k: string, v: unknown) => void values.set(k, v),
      keys: () => [...values.keys()],
    };
  };
  return {
    subscriptions: [] as { dispose(): void }[],
    extensionPath,
    extensionUri: { fsPath: extensionPath, scheme: 'file', path: extensionPath },
    asAbsolutePath: (p: string) => path.join(extensionPath, p),
    workspaceState: memento(),
    globalState: { ...memento(), setKeysForSync: () => undefined },
    extensionMode: 1,
  };
}
