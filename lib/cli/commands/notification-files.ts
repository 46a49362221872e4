import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliUsageError } from '../usage-error.js';

/** Reads a file the user named, or says which option names a missing file. */
export function readNamedFile(cwd: string, option: string, file: string | undefined): Buffer {
  if (file === undefined) throw new CliUsageError(`--${option} <file> is required`);
  try {
    return readFileSync(resolve(cwd, file));
  } catch (error) {
    throw new CliUsageError(
      `--${option} ${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
}

/**
 * Captured request headers: a JSON object (`{"Wechatpay-Serial": "…"}`, as a Node app logs
 * `req.headers`) or `Name: value` lines (as `curl -D` or a proxy dumps them; a request or status
 * line first is skipped).
 * @throws CliUsageError when the file holds neither
 */
export function parseHeaderFile(text: string): Record<string, string> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new CliUsageError('--headers: the file starts with { but is not JSON');
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
      const first = Array.isArray(value) ? (value[0] as unknown) : value;
      if (typeof first === 'string' || typeof first === 'number')
        headers[name.toLowerCase()] = String(first);
    }
    return headers;
  }
  const headers: Record<string, string> = {};
  for (const line of trimmed.split(/\r?\n/)) {
    const match = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line.trim());
    if (match) headers[match[1]!.toLowerCase()] = match[2]!;
  }
  if (Object.keys(headers).length === 0) {
    throw new CliUsageError(
      '--headers: the file holds neither a JSON object nor "Name: value" lines',
    );
  }
  return headers;
}
