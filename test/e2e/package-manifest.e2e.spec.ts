import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { builtinModules } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    // Optional peers of other entries (nestjs-wechatpay/health).
    expect(packages).not.toContain('@nestjs/terminus');
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
  // Outside the repository, so that nothing resolves from its node_modules by accident.
  let temp = '';
  // Inside the repository, so that peers and @peculiar/x509 resolve from its node_modules.
  const app = join(work, 'app');
  const installed = join(app, 'node_modules/nestjs-wechatpay');
  let tarball = '';
  let packedFiles: string[] = [];
  let packedManifest: {
    exports: Record<string, string | Record<string, string>>;
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  };

  beforeAll(() => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    temp = mkdtempSync(join(tmpdir(), 'nestjs-wechatpay-package-'));
    // The repository as it is checked out, built by its own build script, with a stray build-info
    // file: `files` in package.json alone decides what is published.
    const staging = join(temp, 'staging');
    const skip = ['.git', 'node_modules', 'dist', 'coverage', 'test/artifacts', 'sample-app/dist'];
    cpSync(root, staging, {
      recursive: true,
      // .env files may hold real credentials: they have no business in a copy either.
      filter: (source) => !skip.includes(relative(root, source)) && basename(source) !== '.env',
    });
    symlinkSync(join(root, 'node_modules'), join(staging, 'node_modules'));
    execFileSync('npm', ['run', 'build'], { cwd: staging, stdio: 'ignore' });
    writeFileSync(join(staging, 'dist/tsconfig.build.tsbuildinfo'), '{}');
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: staging,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const [packed] = JSON.parse(out.toString()) as {
      filename: string;
      files: { path: string }[];
    }[];
    tarball = join(work, packed!.filename);
    packedFiles = packed!.files.map((f) => f.path);
    mkdirSync(installed, { recursive: true });
    // Its own package scope: without it, 'nestjs-wechatpay' would resolve to the repository itself.
    writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true }');
    execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
    packedManifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as never;
  }, 120_000);
  afterAll(() => {
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  it('ships the build, the manifest, the README and the LICENSE, and nothing else', () => {
    const outside = packedFiles.filter(
      (f) => !f.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(f),
    );
    expect(outside).toEqual([]);
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/index.d.ts',
        'dist/testing/index.js',
        'dist/testing/index.d.ts',
        'LICENSE',
      ]),
    );
    const unexpected = packedFiles.filter(
      (f) => f.startsWith('dist/') && !/\.(js|d\.ts|js\.map)$/.test(f),
    );
    expect(unexpected).toEqual([]);
    expect(packedFiles.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    const license = readFileSync(join(installed, 'LICENSE'), 'utf8');
    expect(license).toMatch(
      /^MIT License\n\nCopyright \(c\) \d{4} nestjs-wechatpay contributors\n/,
    );
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS"');
  });

  it('ships no source map that points at a file it does not ship', () => {
    const maps = packedFiles.filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(20);
    const dangling = maps.flatMap((map) => {
      const { sources, sourcesContent } = JSON.parse(
        readFileSync(join(installed, map), 'utf8'),
      ) as { sources: string[]; sourcesContent?: (string | null)[] };
      return sources
        .filter(
          (source, i) =>
            typeof sourcesContent?.[i] !== 'string' &&
            !packedFiles.includes(join(dirname(map), source)),
        )
        .map((source) => `${map} → ${source}`);
    });
    expect(dangling.slice(0, 5)).toEqual([]);
  });

  it('exports every entry point to import and to require, with its types', () => {
    const entries = Object.entries(packedManifest.exports).filter(
      ([subpath]) => subpath !== './package.json',
    );
    expect(entries.map(([subpath]) => subpath)).toEqual(['.', './testing', './crypto', './health']);
    for (const [subpath, conditions] of entries) {
      expect(Object.keys(conditions), subpath).toEqual(['types', 'import', 'require', 'default']);
      for (const target of Object.values(conditions as Record<string, string>)) {
        expect(packedFiles, `${subpath} → ${target}`).toContain(target.replace(/^\.\//, ''));
      }
    }
    // A CommonJS TypeScript file (a Nest app's default `module: nodenext`) finds the types of all.
    writeFileSync(
      join(app, 'consumer-types.cts'),
      `import { WechatPayModule } from 'nestjs-wechatpay';
      import { signV2 } from 'nestjs-wechatpay/crypto';
      import { WechatPaySimulator } from 'nestjs-wechatpay/testing';
      import { WechatPayHealthIndicator } from 'nestjs-wechatpay/health';
      const md5: string = signV2({ appid: 'wx' }, 'key');
      export const used = [WechatPayModule, WechatPaySimulator, WechatPayHealthIndicator, md5];`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
        },
        files: ['consumer-types.cts'],
      }),
    );
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(app, 'tsconfig.json')], {
      cwd: app,
      encoding: 'utf8',
    });
  }, 120_000);

  it('keeps @peculiar/x509, which only the simulator needs, an optional peer', () => {
    expect(packedManifest.dependencies).not.toHaveProperty('@peculiar/x509');
    expect(packedManifest.optionalDependencies ?? {}).not.toHaveProperty('@peculiar/x509');
    expect(packedManifest.peerDependencies).toHaveProperty('@peculiar/x509');
    expect(packedManifest.peerDependenciesMeta?.['@peculiar/x509']?.optional).toBe(true);
  });

  it('works from a CommonJS file: both entry points by require(), the simulator included', () => {
    // require(esm) (Node ≥ 20.19) refuses a graph with top-level await: this loads every module.
    writeFileSync(
      join(app, 'consumer.cjs'),
      `
      const pkg = require('nestjs-wechatpay');
      const crypto = require('nestjs-wechatpay/crypto');
      const { WechatPaySimulator } = require('nestjs-wechatpay/testing');
      (async () => {
        const simulator = await new WechatPaySimulator({ backup: false, notifications: { autoDeliver: false } }).start();
        try {
          const client = new pkg.WechatPayClient(
            pkg.resolveWechatPayConfig(simulator.moduleOptions({ notifyUrl: 'https://shop.example/notify' })),
          );
          await client.payments.prepayNative({ description: 'cjs', out_trade_no: 'CJS0001', amount: { total: 1 } });
          simulator.pay('CJS0001');
          const order = await client.payments.queryByOutTradeNo('CJS0001');
          console.log(JSON.stringify({
            md5: crypto.signV2({ appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', device_info: '1000', body: 'test', nonce_str: 'ibuaiVcKdpRxkhJA' }, '192006250b4c09247ec02edce69f6a2d'),
            module: typeof pkg.WechatPayModule,
            tradeState: order.trade_state,
          }));
        } finally {
          await simulator.stop();
        }
      })().catch((error) => { console.error(error); process.exit(1); });
    `,
    );
    const out = execFileSync(process.execPath, ['consumer.cjs'], {
      cwd: app,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(JSON.parse(out)).toEqual({
      md5: '9A0A8659F005D6984697E2CA0A9CF3B7',
      module: 'function',
      tradeState: 'SUCCESS',
    });
  }, 120_000);

  it('installs into a production app without @peculiar/x509, and the simulator asks for it by name', () => {
    const consumer = join(temp, 'consumer');
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), '{ "name": "consumer", "private": true }');
    // What `npm install nestjs-wechatpay` does in an app: dependencies and required peers only.
    execFileSync(
      'npm',
      ['install', tarball, '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'],
      { cwd: consumer, stdio: 'ignore' },
    );
    expect(existsSync(join(consumer, 'node_modules/nestjs-wechatpay/dist/index.js'))).toBe(true);
    expect(existsSync(join(consumer, 'node_modules/@peculiar/x509'))).toBe(false);
    writeFileSync(
      join(consumer, 'consumer.cjs'),
      `
        const { WechatPayModule } = require('nestjs-wechatpay');
        const { WechatPaySimulator } = require('nestjs-wechatpay/testing');
        new WechatPaySimulator().start().then(
          () => console.log('started'),
          (error) => console.log(JSON.stringify({ module: typeof WechatPayModule, message: error.message })),
        );
      `,
    );
    const out = execFileSync(process.execPath, ['consumer.cjs'], {
      cwd: consumer,
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({
      module: 'function',
      message: expect.stringContaining('npm install --save-dev @peculiar/x509'),
    });
  }, 120_000);

  it('resolves every entry point by name and reproduces the official known answers', () => {
    // Plain Node, no test transform: exactly what a user's app does with the published package.
    const script = `
      import * as pkg from 'nestjs-wechatpay';
      import * as crypto from 'nestjs-wechatpay/crypto';
      import * as testing from 'nestjs-wechatpay/testing';
      const sign = { appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', device_info: '1000', body: 'test', nonce_str: 'ibuaiVcKdpRxkhJA' };
      const key = '192006250b4c09247ec02edce69f6a2d';
      const reqInfo = ${JSON.stringify(V2_REFUND_REQ_INFO.reqInfo)};
      const merchant = testing.createTestMerchant();
      const resource = crypto.encryptResource('{"ok":true}', merchant.apiV3Key, { associatedData: 'transaction' });
      console.log(JSON.stringify({
        md5: crypto.signV2(sign, key),
        hmac: crypto.signV2(sign, key, 'HMAC-SHA256'),
        refund: crypto.decryptV2RefundInfo(reqInfo, 'ziR0QKsTUfMOuochC9RfCdmfHECorQAP').includes('<refund_id><![CDATA[50000404922017112502468056157]]></refund_id>'),
        gcm: crypto.decryptResource(resource, merchant.apiV3Key),
        exports: [
          ...['WechatPayModule', 'WechatPayService', 'InjectWechatPay', 'wechatPayConfig', 'WechatPayApiError'].filter((n) => !(n in pkg)),
          ...['buildAuthorization', 'signV3Message', 'verifyV3Message', 'encryptSensitive', 'decryptSensitive', 'verifyV2'].filter((n) => !(n in crypto)),
        ],
        // Cryptography has its own entry point, not the main one.
        cryptoInMain: ['signV2', 'decryptResource', 'buildAuthorization'].filter((n) => n in pkg),
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
      cryptoInMain: [],
      configKey: 'CONFIGURATION(wechatpay)',
    });
  });
});
