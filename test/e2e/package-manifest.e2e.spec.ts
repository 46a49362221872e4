import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { V2_REFUND_REQ_INFO } from '../fixtures/published-vectors.js';

const root = join(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  files: string[];
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Bare specifiers of static imports, re-exports, dynamic imports and require() calls. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const patterns = [
    /\bfrom\s+'([^']+)'/g,
    /\bimport\s*\(\s*'([^']+)'\s*\)/g,
    /\brequire\s*\(\s*'([^']+)'\s*\)/g,
    /^import\s+'([^']+)'/gm,
    /\)\('([^'.][^']*)'\)/g,
  ];
  return patterns
    .flatMap((p) => [...text.matchAll(p)].map((m) => m[1]!))
    .filter((s) => !s.startsWith('.'));
}

const packageName = (specifier: string) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
const isBuiltin = (s: string) => s.startsWith('node:') || builtinModules.includes(s);

describe('package manifest', () => {
  const files = sourceFiles(join(root, 'lib'));
  const imports = files.map((file) => ({
    file: relative(root, file),
    specifiers: importsOf(file),
  }));

  it('finds the imports it checks (the scan itself works)', () => {
    const all = imports.flatMap((i) => i.specifiers);
    expect(all).toEqual(
      expect.arrayContaining(['@nestjs/common', 'class-validator', '@nestjs/config']),
    );
  });

  it('declares every package lib/ imports as a dependency or peer dependency', () => {
    const declared = new Set([
      ...Object.keys(manifest.dependencies),
      ...Object.keys(manifest.peerDependencies),
    ]);
    const undeclared = imports.flatMap(({ file, specifiers }) =>
      specifiers
        .filter((s) => !isBuiltin(s) && !declared.has(packageName(s)))
        .map((s) => `${file}: ${s}`),
    );
    expect(undeclared).toEqual([]);
  });

  it('uses every runtime dependency it declares', () => {
    const used = new Set(imports.flatMap((i) => i.specifiers).map(packageName));
    const unused = Object.keys(manifest.dependencies).filter((d) => !used.has(d));
    expect(unused).toEqual([]);
  });

  it('keeps Nest out of lib/core, which must work without a framework', () => {
    const offenders = imports.filter(
      ({ file, specifiers }) =>
        file.startsWith('lib/core/') && specifiers.some((s) => s.startsWith('@nestjs/')),
    );
    expect(offenders.map((o) => o.file)).toEqual([]);
  });

  it('keeps the simulator and its certificate libraries out of the main entry', () => {
    const byFile = new Map(imports.map((i) => [join(root, i.file), i]));
    const seen = new Set<string>();
    const queue = [join(root, 'lib/index.ts')];
    while (queue.length) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/from\s+'(\.[^']+)'/g)) {
        queue.push(join(file, '..', m[1]!.replace(/\.js$/, '.ts')));
      }
    }
    const reached = [...seen].map((f) => relative(root, f));
    expect(reached.filter((f) => f.startsWith('lib/testing/'))).toEqual([]);
    const packages = [...seen].flatMap((f) => byFile.get(f)?.specifiers ?? []).map(packageName);
    expect(packages).not.toContain('@peculiar/x509');
    expect(reached.length).toBeGreaterThan(20);
  });

  it('peers on Nest 12 and makes @nestjs/config optional', () => {
    expect(manifest.peerDependencies).toMatchObject({
      '@nestjs/common': expect.stringContaining('12'),
      '@nestjs/core': expect.stringContaining('12'),
      'reflect-metadata': expect.any(String),
      rxjs: expect.any(String),
    });
    expect(manifest.peerDependenciesMeta['@nestjs/config']?.optional).toBe(true);
    // RedisIdempotencyStore takes any ioredis-shaped client; ioredis itself is never imported.
    expect(manifest.peerDependenciesMeta.ioredis?.optional).toBe(true);
  });
});

describe('built and packed package', () => {
  const work = join(root, 'test/artifacts/package');
  const staging = join(work, 'staging');
  const installed = join(work, 'app/node_modules/nestjs-wechatpay');
  let packedFiles: string[] = [];

  beforeAll(() => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    execFileSync(
      join(root, 'node_modules/.bin/tsc'),
      ['-p', join(root, 'tsconfig.build.json'), '--outDir', join(staging, 'dist')],
      { cwd: root },
    );
    cpSync(join(root, 'package.json'), join(staging, 'package.json'));
    cpSync(join(root, 'README.md'), join(staging, 'README.md'));
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: staging,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const [packed] = JSON.parse(out.toString()) as {
      filename: string;
      files: { path: string }[];
    }[];
    packedFiles = packed!.files.map((f) => f.path);
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', [
      '-xzf',
      join(work, packed!.filename),
      '-C',
      installed,
      '--strip-components=1',
    ]);
  }, 120_000);

  it('ships only the build, the manifest and the README', () => {
    const outside = packedFiles.filter(
      (f) => !f.startsWith('dist/') && !['package.json', 'README.md'].includes(f),
    );
    expect(outside).toEqual([]);
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/index.d.ts',
        'dist/testing/index.js',
        'dist/testing/index.d.ts',
      ]),
    );
    expect(packedFiles.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('resolves both entry points by name and reproduces the official known answers', () => {
    // Plain Node, no test transform: exactly what a user's app does with the published package.
    const script = `
      import * as pkg from 'nestjs-wechatpay';
      import * as testing from 'nestjs-wechatpay/testing';
      const sign = { appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', device_info: '1000', body: 'test', nonce_str: 'ibuaiVcKdpRxkhJA' };
      const key = '192006250b4c09247ec02edce69f6a2d';
      const reqInfo = ${JSON.stringify(V2_REFUND_REQ_INFO.reqInfo)};
      const merchant = testing.createTestMerchant();
      const resource = pkg.encryptResource('{"ok":true}', merchant.apiV3Key, { associatedData: 'transaction' });
      console.log(JSON.stringify({
        md5: pkg.signV2(sign, key),
        hmac: pkg.signV2(sign, key, 'HMAC-SHA256'),
        refund: pkg.decryptV2RefundInfo(reqInfo, 'ziR0QKsTUfMOuochC9RfCdmfHECorQAP').includes('<refund_id><![CDATA[50000404922017112502468056157]]></refund_id>'),
        gcm: pkg.decryptResource(resource, merchant.apiV3Key),
        exports: ['WechatPayModule', 'WechatPayService', 'InjectWechatPay', 'wechatPayConfig', 'buildAuthorization', 'signV3Message', 'verifyV3Message', 'encryptSensitive', 'decryptSensitive', 'verifyV2', 'WechatPayApiError'].filter((n) => !(n in pkg)),
        configKey: pkg.wechatPayConfig.KEY,
      }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: join(work, 'app'),
    });
    expect(JSON.parse(out.toString())).toEqual({
      md5: '9A0A8659F005D6984697E2CA0A9CF3B7',
      hmac: '6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6',
      refund: true,
      gcm: '{"ok":true}',
      exports: [],
      configKey: 'CONFIGURATION(wechatpay)',
    });
  });
});
