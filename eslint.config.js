// ESLint (flat config): the recommended JavaScript and TypeScript rules (not
// type-aware, so a full run stays cheap on two cores) plus the layout rules
// that the READMEs state, as import boundaries:
//   - the loader and the emulator import nothing from the widget;
//   - widget, loader, server and the demo site import nothing from the emulator;
//   - contracts/ imports nothing outside itself;
//   - widget/src/ui/ does not import transport/, widget/src/session/ does not import ui/.
// Boundaries apply to production code: tests, benchmarks and test helpers
// (widget/src/testing/, server/src/testing/) may start an emulator or reach
// across folders. ESLint gives a file the options of the last config object
// that sets a rule, so each folder gets one object with all of its
// restrictions (the folders below do not overlap).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** A folder segment in an import specifier: `../emulator/src/x.ts`, `emulator`. */
const segment = (name) => `(^|/)${name}(/|$)`;

const rules = {
  emulator: { regex: segment('emulator'), message: 'Production code imports nothing from the emulator.' },
  widget: { regex: segment('widget'), message: 'Nothing from the widget here: the loader stays ≤ 2 KB and the emulator stands alone.' },
  transport: { regex: segment('transport'), message: 'ui/ reaches Twilio only through the session, never transport/.' },
  ui: { regex: segment('ui'), message: 'session/ does not import ui/: the UI depends on the session, not the reverse.' },
  // contracts/ is flat: only `./sibling.ts` imports are allowed.
  outsideContracts: { regex: '^(?!\\./[^/]+$)', message: 'contracts/ imports nothing: it is plain TypeScript shared by every part.' },
};

/** Folders (disjoint) and what each may not import. */
const boundaries = [
  { files: ['loader/**'], deny: ['widget', 'emulator'] },
  { files: ['widget/src/ui/**'], deny: ['emulator', 'transport'] },
  { files: ['widget/src/session/**'], deny: ['emulator', 'ui'] },
  { files: ['widget/**'], ignores: ['widget/src/ui/**', 'widget/src/session/**'], deny: ['emulator'] },
  { files: ['server/**', 'demo-site/**'], deny: ['emulator'] },
  { files: ['emulator/**'], deny: ['widget'] },
  { files: ['contracts/**'], deny: ['outsideContracts'] },
];

const notProduction = ['**/*.test.*', '**/*.bench.*', '**/testing/**'];

function boundary({ files, ignores = [], deny }) {
  const patterns = deny.map((name) => rules[name]);
  return {
    files,
    ignores: [...ignores, ...notProduction],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
      // no-restricted-imports does not see import('…') expressions (lazy chunks).
      'no-restricted-syntax': [
        'error',
        ...patterns.map(({ regex, message }) => ({ selector: `ImportExpression > Literal[value=/${regex.replaceAll('/', '\\/')}/]`, message })),
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'dist/**', 'dist-hosted/**', 'coverage/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.browser, ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `cond ? a() : b()` as a statement saves bytes in the 2 KB loader.
      '@typescript-eslint/no-unused-expressions': ['error', { allowTernary: true, allowShortCircuit: true }],
      // Benchmarks declare their shared handles first and assign them once set up.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Sanitisers match control characters on purpose (C0/C1 ranges in visitor input).
      'no-control-regex': 'off',
      // `let x = null; try { x = … } catch { x = null }` spells out both outcomes; harmless.
      'no-useless-assignment': 'off',
    },
  },
  // One job per file: production code stays at 400 lines or fewer, blank lines and
  // comments included (the count `wc -l` gives). Tests, benchmarks' test files and
  // e2e specs are exempt: a feature's cases belong together.
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'],
    ignores: [...notProduction, 'e2e/**'],
    rules: { 'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }] },
  },
  ...boundaries.map(boundary),
);
