import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// esbuild drops decorator metadata, which Nest's dependency injection reads: compile with SWC instead.
const swcPlugin = () =>
  swc.vite({
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
    },
  });

// The sample app imports the package by name; in tests that name is these sources.
const alias = [
  {
    find: /^nestjs-wechatpay\/testing$/,
    replacement: fileURLToPath(new URL('./lib/testing/index.ts', import.meta.url)),
  },
  {
    find: /^nestjs-wechatpay\/crypto$/,
    replacement: fileURLToPath(new URL('./lib/core/crypto/index.ts', import.meta.url)),
  },
  {
    find: /^nestjs-wechatpay\/health$/,
    replacement: fileURLToPath(new URL('./lib/nest/health/index.ts', import.meta.url)),
  },
  {
    find: /^nestjs-wechatpay$/,
    replacement: fileURLToPath(new URL('./lib/index.ts', import.meta.url)),
  },
];

// expect.poll() waits 1 s by default: on a loaded CI machine (four files at once on two cores,
// Chromium, Redis, PostgreSQL) a condition that always comes may come later than that.
const expectOptions = { poll: { timeout: 15_000 } };

export default defineConfig({
  resolve: { alias },
  test: {
    reporters: ['default'],
    // Most e2e files spend their time waiting on timers and sockets, not on the CPU: four files
    // at a time keep a 2-core machine busy where two left it idle half the time.
    maxWorkers: 4,
    projects: [
      {
        plugins: [swcPlugin()],
        test: {
          name: 'unit',
          include: ['test/unit/**/*.spec.ts'],
          testTimeout: 20_000,
          expect: expectOptions,
        },
      },
      {
        plugins: [swcPlugin()],
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.spec.ts', 'sample-app/test/**/*.spec.ts'],
          // Generous: a loaded machine boots a Nest app, PGlite or Chromium in tens of seconds;
          // a test that hangs still fails, only later.
          testTimeout: 120_000,
          hookTimeout: 120_000,
          expect: expectOptions,
        },
      },
    ],
  },
});
