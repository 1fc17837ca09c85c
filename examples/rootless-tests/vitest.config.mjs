// Configuration of the foreign-program suite that run-suite.mjs starts; the repository's
// own vitest run does not pick these files up (they are not under test/).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['suite/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
