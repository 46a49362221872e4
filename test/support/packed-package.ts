import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';

const root = join(import.meta.dirname, '../..');

/** A tarball `npm pack` made from a fresh build of the repository as checked out. */
export interface PackedPackage {
  tarball: string;
  /** Every packed file with its mode, as `npm pack --json` lists them. */
  files: { path: string; mode: number }[];
  /** Removes the staging copy (the tarball stays in `destination`). */
  cleanUp: () => void;
}

/**
 * Copies the repository (without node_modules, builds, artifacts and .env files), builds it with
 * its own build script and packs it into `destination`, as the package-manifest spec does.
 */
export function packRepository(destination: string): PackedPackage {
  const temp = mkdtempSync(join(tmpdir(), 'nestjs-wechatpay-pack-'));
  const staging = join(temp, 'staging');
  const skip = ['.git', 'node_modules', 'dist', 'coverage', 'test/artifacts', 'sample-app/dist'];
  cpSync(root, staging, {
    recursive: true,
    filter: (source) => !skip.includes(relative(root, source)) && basename(source) !== '.env',
  });
  symlinkSync(join(root, 'node_modules'), join(staging, 'node_modules'));
  execFileSync('npm', ['run', 'build'], { cwd: staging, stdio: 'ignore' });
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: staging,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [packed] = JSON.parse(out.toString()) as {
    filename: string;
    files: { path: string; mode: number }[];
  }[];
  return {
    tarball: join(destination, packed!.filename),
    files: packed!.files,
    cleanUp: () => rmSync(temp, { recursive: true, force: true }),
  };
}
