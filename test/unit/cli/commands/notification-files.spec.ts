import { describe, expect, it } from 'vitest';
import { parseHeaderFile } from '../../../../lib/cli/commands/notification-files.js';
import { CliUsageError } from '../../../../lib/cli/usage-error.js';

describe('parseHeaderFile', () => {
  it('reads a JSON object as Node logs req.headers, names in lower case, first of repeated values', () => {
    expect(
      parseHeaderFile(
        '{"Wechatpay-Serial":"ABC","wechatpay-timestamp":1700000000,"x-forwarded-for":["1.1.1.1","2.2.2.2"]}',
      ),
    ).toEqual({
      'wechatpay-serial': 'ABC',
      'wechatpay-timestamp': '1700000000',
      'x-forwarded-for': '1.1.1.1',
    });
  });

  it('reads "Name: value" lines, skipping the request line, keeping colons inside values', () => {
    expect(
      parseHeaderFile(
        'POST /notify HTTP/1.1\r\nWechatpay-Signature: a:b==\r\nContent-Type: application/json\r\n\r\n',
      ),
    ).toEqual({ 'wechatpay-signature': 'a:b==', 'content-type': 'application/json' });
  });

  it('refuses a file that holds neither, and broken JSON, as usage errors', () => {
    expect(() => parseHeaderFile('just some text')).toThrow(CliUsageError);
    expect(() => parseHeaderFile('{"Wechatpay-Serial": ')).toThrow(
      /starts with \{ but is not JSON/,
    );
  });
});
