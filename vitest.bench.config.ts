import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// `npm run bench`: benchmarks run one file at a time, so they do not compete for the 2 cores.
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
  },
});
