/** The heavy half of the extension (./lazy.ts), loaded the first time a command needs it. */
export type Lazy = typeof import('./lazy');

let loading: Promise<Lazy> | undefined;

/**
 * A plain require (esbuild.mjs points it at dist/lazy.js): CommonJS all the way, as VS Code's extension
 * host expects, and a failure to load becomes a rejected promise the command reports.
 */
export function lazy(): Promise<Lazy> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- esbuild.mjs makes this a require of dist/lazy.js, loaded on first use
  return (loading ??= new Promise<Lazy>((resolve) => resolve(require('./lazy') as Lazy)));
}
