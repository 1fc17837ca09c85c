import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources; child processes started inside
    // namespaces run the built packages (dist), which the test command builds first.
    alias: [{ find: /^@qus\/([a-z-]+)$/, replacement: `${root}packages/$1/src/index.ts` }],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    typecheck: {
      enabled: false,
      include: ['packages/*/test/**/*.test-d.ts'],
      tsconfig: './tsconfig.check.json',
    },
  },
});
