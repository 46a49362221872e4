// Writes the README's configuration table from the option declarations (lib/core/config/declarations).
// `--check` only reports whether the README is up to date. The table's code is TypeScript: Vite
// loads it, as Vitest does for the test that compares the README with it.
import { readFileSync, writeFileSync } from 'node:fs';
import { runnerImport } from 'vite';

const { module: table } = await runnerImport(`${import.meta.dirname}/config-table.ts`, {
  configFile: false,
  logLevel: 'error',
});
const readme = readFileSync(table.readmePath, 'utf8');
const updated = table.withTable(readme, await table.renderConfigTable());
if (updated === readme) {
  console.warn('README.md: the configuration table is up to date.');
} else if (process.argv.includes('--check')) {
  console.error(
    'README.md: the configuration table differs from the declarations; run npm run docs:config',
  );
  process.exitCode = 1;
} else {
  writeFileSync(table.readmePath, updated);
  console.warn('README.md: configuration table written.');
}
