import tseslint from 'typescript-eslint';

/**
 * The data flow is otlp -> graph -> store -> slo -> rca -> actions -> api -> notify (docs/design.md): a folder imports only from the folders
 * before it and from the shared files at the top of src/. app.ts and main.ts wire everything together.
 */
const FLOW = ['otlp', 'graph', 'store', 'slo', 'rca', 'actions', 'api', 'notify'];
const message = (from, to) => `src/${from} must not import src/${to}: the data flow is ${FLOW.join(' -> ')} (docs/design.md)`;

const layers = FLOW.map((folder, i) => ({
  files: [`src/${folder}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...FLOW.slice(i + 1).map((later) => ({ group: [`../${later}/*`, `../../${later}/*`], message: message(folder, later) })),
          // The pairer's internals stay behind its entry point.
          ...(folder === 'graph'
            ? []
            : [
                {
                  group: ['../graph/pairing/*', '!../graph/pairing/index.js'],
                  message: 'import the pairer through src/graph/pairing/index.js',
                },
              ]),
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', '.bench/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  ...layers,
  {
    // Shared files at the top of src/ are used by every stage, so they import none of them.
    files: ['src/*.ts'],
    ignores: ['src/app.ts', 'src/main.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: FLOW.map((f) => `./${f}/*`),
              message: 'shared files at the top of src/ must not import a stage (otlp, graph, store, rca, api)',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/app.ts', 'src/graph/graph-metrics.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['./graph/pairing/*', './pairing/*', '!./graph/pairing/index.js', '!./pairing/index.js'],
              message: 'import the pairer through src/graph/pairing/index.js',
            },
          ],
        },
      ],
    },
  },
);
