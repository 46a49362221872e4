import { StringDecoder } from 'node:string_decoder';
import { WechatPayBillError } from '../../../errors.js';

/**
 * The longest line a bill may have, in characters. A bill line is a few hundred characters
 * (remarks are at most 2048); without a cap, a file with no line breaks would be held whole.
 */
export const MAX_BILL_LINE = 64 * 1024;

/**
 * The lines of a bill, decoded as UTF-8, without their `\r\n` or `\n` and without empty lines,
 * handed over a chunk's worth at a time (one await per chunk, not per line). Only the current
 * chunk and one partial line are held, so memory stays constant whatever the size of the bill.
 * @throws WechatPayBillError when a line exceeds {@link MAX_BILL_LINE}
 */
export async function* billLineBatches(
  source: AsyncIterable<Buffer | string>,
): AsyncGenerator<string[], void, undefined> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let first = true;
  for await (const chunk of source) {
    let text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    if (first && text.length > 0) {
      // A byte-order mark would otherwise become part of the first column's name.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const lines: string[] = [];
    let start = 0;
    let end: number;
    while ((end = text.indexOf('\n', start)) !== -1) {
      const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      if (stop > start) lines.push(text.slice(start, stop));
      start = end + 1;
    }
    rest = text.slice(start);
    if (rest.length > MAX_BILL_LINE) {
      throw new WechatPayBillError(
        `a line of the bill is longer than ${MAX_BILL_LINE} characters: this is not a WeChat Pay bill`,
      );
    }
    if (lines.length > 0) yield lines;
  }
  rest += decoder.end();
  if (rest.endsWith('\r')) rest = rest.slice(0, -1);
  if (rest.length > 0) yield [rest];
}
