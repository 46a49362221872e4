import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// `npm run bench`: benchmarks run one file at a time, so they do not compete for the 2 cores.
// They import the package by name, which resolves to the built dist/ (npm run bench builds it
// first), and that code runs natively, outside Vitest's module runner: the ratios measure what
// users run, against a node:crypto baseline that the runner never touches either.
/**
 * The million-row bill benches last: the gigabyte of temporary files and heap they leave the
 * kernel to reclaim disturbed the sub-millisecond crypto ratios measured after them.
 */
class HeavyBenchesLast extends BaseSequencer {
  override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const heavy = (file: TestSpecification) => (file.moduleId.includes('bill-') ? 1 : 0);
    return Promise.resolve(
      [...files].sort((a, b) => heavy(a) - heavy(b) || a.moduleId.localeCompare(b.moduleId)),
    );
  }
}

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
    sequence: { sequencer: HeavyBenchesLast },
    testTimeout: 300_000,
    hookTimeout: 120_000,
    disableConsoleIntercept: true,
    server: { deps: { external: [/\/dist\//] } },
  },
});
