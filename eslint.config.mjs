// @ts-check
// Lint: ESLint's and typescript-eslint's recommended rules, plus the project's own boundaries.
// Formatting is prettier's job (`npm run lint` runs both; .prettierrc.json), so no style rules here.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // What the .gitignore files list: build output and copies of it (bench/.snapshot, infra/.deploy).
  { ignores: ['dist/**', 'coverage/**', 'test-output/**', 'bench/results/**', 'bench/.snapshot/**', 'infra/.deploy/**', '.azure/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` marks a parameter kept for its position in a signature (handlers, callbacks).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Validators of names, headers and origins match control characters on purpose (shared/names.ts).
      'no-control-regex': 'off',
    },
  },
  {
    // An unhandled rejection ends a Node process: every promise in the shipped code is awaited, returned,
    // or explicitly `void`ed with its errors handled. Type-aware, so limited to the shipped code (the
    // whole tree doubles the lint time).
    files: ['functions/**/*.ts', 'shared/**/*.ts', 'emulator/**/*.ts', 'local-host/**/*.ts', 'scripts/**/*.ts', 'web/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // CommonJS files (jest config, esbuild plugins, the infra hook, the fixture Functions apps) use require().
    files: ['**/*.cjs', '**/*.cts', 'test/fixtures/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests load modules with require() inside jest.isolateModules, to get a fresh copy for each case.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The chat page runs in the browser.
    files: ['web/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The emulator is an independent implementation of the service: if it shared the app's code, a bug
    // there (the signature format, say) would pass every test on both sides.
    files: ['emulator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(shared|functions|local-host|web)(/|$)',
              message: 'emulator/ must not import the app (shared/, functions/, local-host/, web/): give the emulator its own copy of the rule.',
            },
          ],
        },
      ],
    },
  },
);
