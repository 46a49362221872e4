import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// `npm run bench`: benchmarks run one file at a time, so they do not compete for the 2 cores.
// They import the package by name, which resolves to the built dist/ (npm run bench builds it
// first), and that code runs natively, outside Vitest's module runner: the ratios measure what
// users run, against a node:crypto baseline that the runner never touches either.
export default defineConfig({
  plugins: [
    swc.vite({
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2023',
      },
    }),
  ],
  test: {
    include: ['test/bench/**/*.bench.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
    disableConsoleIntercept: true,
    server: { deps: { external: [/\/dist\//] } },
  },
});
