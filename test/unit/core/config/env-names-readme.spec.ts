import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WECHATPAY_OPTIONS } from '../../../../lib/core/config/declarations/index.js';
import { WECHATPAY_ENV } from '../../../../lib/index.js';
import {
  optionDocs,
  readmePath,
  renderConfigTable,
  tableIn,
} from '../../../../scripts/config-table.js';

const docs = optionDocs();

interface Row {
  option: string;
  env: string | undefined;
  meaning: string;
}

/** The rows of the table under "## Configuration" in the README. */
function readmeRows(): Row[] {
  const readme = readFileSync(readmePath, 'utf8');
  const section = readme.split(/^## Configuration$/m)[1]?.split(/^## /m)[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2) // header and separator
    .map((line) => {
      const [option = '', env = '', meaning = ''] = line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim());
      const unquote = (cell: string) => /^`([^`]+)`$/.exec(cell)?.[1];
      return { option: unquote(option) ?? option, env: unquote(env), meaning };
    });
}

/** `@default` of every property of `WechatPayOptions`, read from its JSDoc. */
function documentedDefaults(): Map<string, string> {
  return new Map(
    [...docs].flatMap(([option, doc]) => (doc.default ? [[option, doc.default] as const] : [])),
  );
}

/** The part of a default's text the README must repeat: a literal, or an option it refers to. */
function keyOfDefault(text: string, options: string[]): string | undefined {
  const literal = /'([^']+)'|`([^`]+)`|\b(\d+|true|false)\b/.exec(text);
  if (literal) return literal[1] ?? literal[2] ?? literal[3];
  return text.split(/\W+/).find((word) => options.includes(word));
}

describe('the README configuration table', () => {
  const rows = readmeRows();
  const byOption = new Map(rows.map((row) => [row.option, row]));

  it('has a row for every environment variable, next to its option', () => {
    const missing = Object.entries(WECHATPAY_ENV)
      .filter(([option, env]) => byOption.get(option)?.env !== env)
      .map(([option, env]) => `${option} / ${env}`);
    expect(missing).toEqual([]);
  });

  it('lists no variable that wechatPayOptionsFromEnv does not read', () => {
    const known = new Set<string>(Object.values(WECHATPAY_ENV));
    expect(rows.filter((row) => row.env && !known.has(row.env))).toEqual([]);
  });

  it("states each option's documented default", () => {
    const options = rows.map((row) => row.option);
    const wrong = [...documentedDefaults()]
      .filter(([option]) => byOption.has(option))
      .filter(([option, text]) => {
        const { meaning } = byOption.get(option)!;
        const key = keyOfDefault(text, options);
        return !/default/i.test(meaning) || (key !== undefined && !meaning.includes(key));
      })
      .map(([option, text]) => `${option}: @default ${text}`);
    expect(wrong).toEqual([]);
  });

  it('is the table npm run docs:config generates from the declarations, byte for byte', async () => {
    const readme = readFileSync(readmePath, 'utf8');
    expect(tableIn(readme)).toBe(`\n\n${await renderConfigTable()}\n`);
  });
});

describe('the option declarations', () => {
  it('document every option on WechatPayOptions, as editors show it', () => {
    const undocumented = Object.keys(WECHATPAY_OPTIONS).filter((o) => !docs.get(o)?.summary);
    expect(undocumented).toEqual([]);
    expect([...docs.keys()].sort()).toEqual(Object.keys(WECHATPAY_OPTIONS).sort());
  });

  it('document the default each option is given', () => {
    const literal = (value: unknown) =>
      typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
    const wrong = Object.entries(WECHATPAY_OPTIONS)
      .filter(([, declaration]) => 'default' in declaration)
      .map(([option, declaration]) => [
        option,
        literal((declaration as { default: unknown }).default),
      ])
      .filter(([option, value]) => !docs.get(option!)?.default?.startsWith(value!))
      .map(([option, value]) => `${option}: @default ${value}`);
    expect(wrong).toEqual([]);
  });
});
