import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { WechatPayNotificationError } from '../errors.js';

/** A flat API v2 message: every value a string, as WeChat Pay sends them. */
export type V2Fields = Record<string, string>;

const parser = new XMLParser({
  // No entity expansion of any kind: no XXE, no billion laughs.
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignoreAttributes: true,
  // Values stay strings ("0001" must not become 1); CDATA kept apart, since its text is
  // literal while character references in plain text must be decoded.
  parseTagValue: false,
  trimValues: false,
  cdataPropName: '#cdata',
});

const builder = new XMLBuilder({ cdataPropName: '__cdata', format: false });

/** The largest v2 message accepted. Real ones are a few kilobytes. */
export const MAX_V2_XML_BYTES = 64 * 1024;

/**
 * Parses an API v2 `<xml>` message into flat string fields. Refuses DOCTYPE and ENTITY
 * declarations outright rather than trusting a parser setting with attacker input.
 * @throws WechatPayNotificationError for anything that is not a flat `<xml>` message
 */
export function parseV2Xml(text: string): V2Fields {
  if (Buffer.byteLength(text) > MAX_V2_XML_BYTES) {
    throw new WechatPayNotificationError('XML message too large');
  }
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new WechatPayNotificationError('XML with a DOCTYPE or ENTITY declaration is refused');
  }
  if (XMLValidator.validate(text) !== true) throw new WechatPayNotificationError('malformed XML');
  const parsed = parser.parse(text) as { xml?: unknown; root?: unknown };
  const root = parsed.xml ?? parsed.root;
  if (typeof root !== 'object' || root === null) {
    throw new WechatPayNotificationError('expected an <xml> (or <root>) document');
  }
  const fields: V2Fields = {};
  for (const [name, value] of Object.entries(root as Record<string, unknown>)) {
    const text = fieldText(value);
    if (text === undefined)
      throw new WechatPayNotificationError(`field ${name} is not a plain value`);
    fields[name] = text;
  }
  return fields;
}

/** Builds an API v2 `<xml>` message, every value in CDATA. */
export function buildV2Xml(fields: Record<string, unknown>): string {
  const xml: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    const text = typeof value === 'object' ? JSON.stringify(value) : `${value as string | number}`;
    // CDATA keeps Chinese text and symbols readable; text that would end a CDATA section is
    // escaped by the builder instead.
    xml[name] = /^[\w.+-]*$/.test(text) || text.includes(']]>') ? text : { __cdata: text };
  }
  return builder.build({ xml });
}

/** The text of a leaf element: plain text (references decoded) and/or literal CDATA. */
function fieldText(value: unknown): string | undefined {
  if (typeof value === 'string') return decodeCharacterReferences(value);
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { '#cdata': cdata, '#text': text, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return undefined;
  const parts = [text, cdata].map((part) => (Array.isArray(part) ? part.join('') : part));
  if (parts.some((part) => part !== undefined && typeof part !== 'string')) return undefined;
  const [plain, literal] = parts as (string | undefined)[];
  return (plain?.trim() ? decodeCharacterReferences(plain) : '') + (literal ?? '');
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * XML's five predefined entities and numeric character references, which are part of the
 * syntax rather than of a DTD. Entity processing stays off, so nothing else is expanded.
 */
function decodeCharacterReferences(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return PREDEFINED[ref] ?? whole;
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
