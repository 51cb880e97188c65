// ESLint flat config. Besides the usual TS/Vue rules it enforces the layers of
// docs/architecture.md twice: an allowlist of internal imports per folder
// (eslint-plugin-boundaries, table in eslint.layers.js) and a denylist of
// packages per folder (no-restricted-imports):
//   shared/        → no electron/, renderer/, Node built-ins, electron, vue
//   electron/net/  → no electron, vue, ws (the engine is transport-agnostic)
//   electron/record/, electron/commands/, electron/hub/, electron/store/,
//   electron/backend.ts → no electron, vue, ws
//   renderer/      → no electron/, Node built-ins, electron
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';
import boundaries from 'eslint-plugin-boundaries';
import globals from 'globals';
import { FILES, LAYERS, layerPolicies } from './eslint.layers.js';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const noBuiltins = { paths: nodeBuiltins.map((name) => ({ name, message: 'Node built-ins are not allowed in this layer.' })) };
const restrict = (patterns, extraPaths = []) => ({
  'no-restricted-imports': ['error', { patterns, paths: extraPaths }],
});

export default tseslint.config(
  // The folder allowlist of docs/architecture.md: each layer names what it may import (eslint.layers.js).
  {
    files: ['electron/**/*.ts', 'renderer/**/*.{ts,vue}', 'shared/**/*.ts', 'lint-fixtures/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.test-util.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': LAYERS,
      'boundaries/files': FILES,
      'boundaries/include': ['electron/**', 'renderer/**', 'shared/**', 'lint-fixtures/**'],
      'import/resolver': { node: { extensions: ['.ts', '.js', '.mjs', '.vue', '.json'] } },
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'disallow', policies: layerPolicies() }],
    },
  },
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/no-v-html': 'error',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    files: ['electron/**/*.ts', 'test/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts', '*.config.*', 'eslint.config.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['shared/**/*.ts'],
    rules: restrict(
      [
        { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ must not import electron/ or renderer/.' },
        { group: ['electron', 'vue', 'ws', 'iconv-lite'], message: 'shared/ is pure and isomorphic.' },
      ],
      noBuiltins.paths,
    ),
  },
  {
    files: [
      'electron/net/**/*.ts',
      'electron/record/**/*.ts',
      'electron/commands/**/*.ts',
      'electron/hub/**/*.ts',
      'electron/store/**/*.ts',
      'electron/backend.ts',
    ],
    rules: restrict([
      { group: ['electron', 'vue', 'ws', 'pinia'], message: 'The engine and hub never import electron, vue or ws.' },
      { group: ['**/main/**', '**/preload/**', '**/web/**', '**/renderer/**'], message: 'The engine must not depend on a transport or the UI.' },
    ]),
  },
  {
    files: ['renderer/**/*.{ts,vue}'],
    rules: restrict(
      [
        { group: ['**/electron/**', 'electron'], message: 'renderer/ talks to Node only through a Bridge.' },
      ],
      [
        ...noBuiltins.paths,
        { name: 'ws', message: 'Node-only libraries do not belong in the renderer.' },
        { name: 'iconv-lite', message: 'Node-only libraries do not belong in the renderer.' },
      ],
    ),
  },
);
