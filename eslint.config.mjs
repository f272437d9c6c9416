// ESLint (flat config): `npm run lint` runs it with Prettier's check and flake8 (scripts/lint.mjs).
// TypeScript files are linted with type information (typescript-eslint's project service), so rules that
// catch real bugs in async code (a promise nobody awaits or catches, an await on a non-promise) can run.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'dist-vsix/**',
      'node_modules/**',
      '.vscode-test/**',
      '.bench/**',
      'scripts/vscode-host/code-server/**',
      'scripts/vscode-host/node24/**',
      'samples/*/data/**',
      'samples/*/runs/**',
      '**/.parallel-run/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Bugs: a promise dropped without `void`, await or catch; a promise where a callback's result is ignored
      // (an async listener whose rejection nobody sees); awaiting something that is not a promise.
      // node:test's test() returns a promise the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `import x = require()` is TypeScript's typed CommonJS import; a bare require() is a deliberate lazy load
      // (the lazy bundles, modules loaded after a stand-in vscode) and says so in a disable comment.
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Tests and the bench poke at loose shapes (debug adapter messages, patched VS Code APIs, JSON bodies).
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The test-only extensions (the auth provider, the debugpy stand-in) are CommonJS, as VS Code loads them.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // playwright's page.evaluate() bodies run in the browser.
    files: ['test/ui/**/*.mjs', 'scripts/model-view-screenshot.mjs'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src/webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
