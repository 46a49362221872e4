import { describe, expect, it } from 'vitest';
import { buildV2Xml, parseV2Xml } from '../../../../lib/core/v2/xml.js';
import { WechatPayNotificationError } from '../../../../lib/index.js';

describe('API v2 XML', () => {
  it('round-trips fields, keeping values as strings and Chinese text intact', () => {
    const xml = buildV2Xml({
      appid: 'wx2421b1c4370ec43b',
      body: '腾讯充值中心-QQ会员充值 <&>',
      total_fee: 1,
      attach: '',
    });
    expect(xml).toContain('<body><![CDATA[腾讯充值中心-QQ会员充值 <&>]]></body>');
    expect(parseV2Xml(xml)).toEqual({
      appid: 'wx2421b1c4370ec43b',
      body: '腾讯充值中心-QQ会员充值 <&>',
      total_fee: '1',
      attach: '',
    });
  });

  it('keeps leading zeros and whitespace: nothing is coerced', () => {
    expect(parseV2Xml('<xml><total_fee>0001</total_fee><a> x </a></xml>')).toEqual({
      total_fee: '0001',
      a: ' x ',
    });
  });

  it('keeps CDATA literal and decodes character references only in plain text', () => {
    expect(
      parseV2Xml('<xml><a><![CDATA[a&amp;b&#65;]]></a><b>x&amp;y&#65;&#x42;</b></xml>'),
    ).toEqual({
      a: 'a&amp;b&#65;',
      b: 'x&yAB',
    });
  });

  it('escapes text that would end a CDATA section', () => {
    const xml = buildV2Xml({ attach: 'a]]>b<c' });
    expect(parseV2Xml(xml).attach).toBe('a]]>b<c');
  });

  it('parses the <root> document of a decrypted refund req_info', () => {
    expect(parseV2Xml('<root><out_refund_no><![CDATA[R1]]></out_refund_no></root>')).toEqual({
      out_refund_no: 'R1',
    });
  });

  it.each([
    [
      'an external entity (XXE)',
      '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><a>&xxe;</a></xml>',
    ],
    [
      'entity expansion (billion laughs)',
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><xml><a>&lol2;</a></xml>',
    ],
    ['a bare DOCTYPE', '<!DOCTYPE xml><xml><a>1</a></xml>'],
    ['malformed XML', '<xml><a>1</xml>'],
    ['nested elements', '<xml><a><b>1</b></a></xml>'],
    ['not XML at all', '{"a":1}'],
    ['an oversized document', `<xml><a>${'x'.repeat(70 * 1024)}</a></xml>`],
  ])('refuses %s', (_name, text) => {
    expect(() => parseV2Xml(text)).toThrow(WechatPayNotificationError);
  });

  it('refuses a billion-laughs document quickly', () => {
    const entities = Array.from(
      { length: 10 },
      (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`,
    ).join('');
    const bomb = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY l0 "lol">${entities}]><xml><a>&l10;</a></xml>`;
    const start = performance.now();
    expect(() => parseV2Xml(bomb)).toThrow(/DOCTYPE or ENTITY/);
    // Expanded, it would take far longer (or exhaust memory); the slack is for a loaded machine.
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
