import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

it("npm run demo (the README's first command) walks through v3 and v2 and exits 0", () => {
  // The sample app imports the package by its name, so it runs on the build, as a user's app would.
  const output = execFileSync('npm', ['run', '--silent', 'demo'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 180_000,
  });
  for (const api of ['v3', 'v2']) expect(output).toContain(`API ${api}`);
  expect(output.match(/TRANSACTION\.SUCCESS → HTTP 200/g)).toHaveLength(2);
  expect(output.match(/REFUND\.SUCCESS → HTTP 200/g)).toHaveLength(2);
  expect(output.match(/CREATED → PAID → REFUNDING → REFUNDED/g)).toHaveLength(2);
  expect(output).toContain('Demo finished');
}, 200_000);
