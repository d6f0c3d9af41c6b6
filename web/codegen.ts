import type { CodegenConfig } from '@graphql-codegen/cli';

// Runs fully offline: the schema is the contract file next to the server code,
// the documents are the `graphql(...)` calls in src/.
const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: false,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
      },
      config: {
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', ID: 'string', NaiveDate: 'string' },
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        skipTypename: true,
      },
    },
  },
  hooks: {},
};

export default config;
