// ESLint flat config: typescript-eslint's type-aware recommended rules for the TypeScript sources,
// ESLint's recommended rules for the CommonJS scripts. Formatting is prettier's job (npm run format).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import layers from './eslint-layers.cjs';

export default tseslint.config(
  // Generated code (cdk8s import) and build output are not ours to lint.
  { ignores: ['node_modules/', 'dist/', 'build/', 'lib-dist/', 'coverage/', 'imports/'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `_`-prefixed names mark a deliberately unused parameter or destructured rest.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // lib/ is cut into layers that import downward only: one table in eslint-layers.cjs (docs/design.md#layers).
    files: ['lib/**/*.ts', 'main.ts'],
    plugins: { layers: layers.plugin },
    rules: { 'layers/downward-only': 'error' },
  },
  {
    // zod's `z` export re-exports the whole package as one namespace (every locale of its
    // messages), which the bundler keeps whole; `import * as z` lets it drop what is unused: less
    // to load on every start (docs/design.md#start-up).
    files: ['lib/**/*.ts', 'main.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
          message: "Use `import * as z from 'zod'` (tree-shakable).",
        },
      ],
    },
  },
  {
    // Tests walk parsed YAML documents (js-yaml returns untyped data) to assert on their shape;
    // typing every step would add casts, not safety. Sources keep the full rule set.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off', // test helpers return parsed documents as `any` (see above)
      '@typescript-eslint/no-unsafe-member-access': 'off', // reading fields of parsed documents (see above)
      '@typescript-eslint/no-unsafe-assignment': 'off', // same: values taken out of parsed documents
      '@typescript-eslint/no-unsafe-argument': 'off', // same: parsed values passed to expect() and helpers
      '@typescript-eslint/no-unsafe-call': 'off', // same: array methods on parsed lists
      '@typescript-eslint/no-unsafe-return': 'off', // same: helpers returning parsed values
    },
  },
  {
    // Rules read as tables (data plus small functions, like CHECKS): a function longer than this
    // is split, or carries an eslint-disable-next-line with the reason beside it.
    files: ['lib/**/*.ts', 'main.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }] },
  },
  {
    files: ['**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
  {
    files: ['**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'module', globals: { ...globals.node } },
  },
);
