import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { WECHATPAY_OPTIONS } from '../../../../lib/core/config/declarations/index.js';
import {
  resolveWechatPayConfig,
  WECHATPAY_ENV,
  type WechatPayConfigError,
  type WechatPayOptions,
  wechatPayOptionsFromEnv,
} from '../../../../lib/index.js';
import { createTestMerchant } from '../../../../lib/testing/index.js';
import { COMPILER_OPTIONS, propertyDocs } from '../../../../scripts/config-table.js';

const merchant = createTestMerchant();
const lib = fileURLToPath(new URL('../../../../lib/', import.meta.url));
const declarations = Object.entries(WECHATPAY_OPTIONS);

function problemsOf(options: WechatPayOptions): WechatPayConfigError {
  try {
    resolveWechatPayConfig(options);
  } catch (error) {
    return error as WechatPayConfigError;
  }
  throw new Error('expected a WechatPayConfigError');
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
}

describe('options declared once', () => {
  it('spells each environment variable in code in one file of lib, its declaration', () => {
    const code = sourceFiles(lib).map((file) => {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
      const literals: string[] = [];
      const visit = (node: ts.Node) => {
        if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) {
          literals.push(node.text);
        }
        node.forEachChild(visit);
      };
      visit(source);
      return { file: relative(lib, file), text: literals.join('\n') };
    });
    const spelt = Object.values(WECHATPAY_ENV).map((name) => {
      const word = new RegExp(`\\b${name}\\b`);
      return [name, code.filter(({ text }) => word.test(text)).map(({ file }) => file)];
    });
    for (const [name, files] of spelt) {
      expect({ name, files }).toEqual({
        name,
        files: [expect.stringMatching(/^core\/config\/declarations\//)],
      });
    }
  });

  it('reads every declared variable, and only those, with its parser', () => {
    const env = Object.fromEntries(Object.values(WECHATPAY_ENV).map((name) => [name, ' 1 ']));
    const options = wechatPayOptionsFromEnv({ ...env, WECHATPAY_UNKNOWN: 'x' });
    expect(Object.keys(options).sort()).toEqual(Object.keys(WECHATPAY_ENV).sort());
    expect(options).toMatchObject({ mchid: '1', timeout: 1, appids: ['1'], sandbox: false });
  });

  it('checks every declared option, naming it', () => {
    const unchecked = declarations
      .map(([option]) => option)
      .filter((option) => {
        const error = problemsOf({ ...merchant.options, [option]: Symbol('not a value') });
        return !error.fields.includes(option);
      });
    expect(unchecked).toEqual([]);
  });

  it('gives WechatPayConfig every declared default', () => {
    const config = resolveWechatPayConfig(merchant.options) as unknown as Record<string, unknown>;
    const defaults = declarations.flatMap(([option, declaration]): [string, unknown][] =>
      'default' in declaration && 'copy' in declaration ? [[option, declaration.default]] : [],
    );
    expect(defaults.length).toBeGreaterThan(5);
    for (const [option, value] of defaults)
      expect([option, config[option]]).toEqual([option, value]);
  });

  // Declaration emit type-checks the config's imports: slow on a busy machine.
  it(
    'keeps the JSDoc of every option and config field in the published declaration files',
    { timeout: 90_000 },
    () => {
      const out = mkdtempSync(join(tmpdir(), 'wechatpay-dts-'));
      try {
        const roots = ['options.ts', 'wechatpay-config.ts'].map((file) =>
          join(lib, 'core/config', file),
        );
        const source = ts.createProgram(roots, {
          ...COMPILER_OPTIONS,
          noEmit: false,
          declaration: true,
          emitDeclarationOnly: true,
          rootDir: lib,
          outDir: out,
        });
        source.emit();
        const [options, config] = ['options.d.ts', 'wechatpay-config.d.ts'].map((file) =>
          join(out, 'core/config', file),
        );
        const published = ts.createProgram([options!, config!], COMPILER_OPTIONS);
        expect(propertyDocs(options!, 'WechatPayOptions', published)).toEqual(
          propertyDocs(roots[0]!, 'WechatPayOptions', source),
        );
        const undocumented = [...propertyDocs(config!, 'WechatPayConfig', published)]
          .filter(([field, doc]) => !doc.summary && /^\w+$/.test(field))
          .map(([field]) => field);
        expect(undocumented).toEqual([]);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
  );
});
