import { WechatPayConfigError } from '../errors.js';
import type { PlatformKeyStore } from './platform-key-store.js';

/** The message of anything thrown, for a warning line. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Downloads the platform certificates within `timeout` ms while the application starts, so a
 * wrong APIv3 key stops it instead of surfacing after the first order. An unreachable or slow
 * WeChat Pay only produces a warning: the download goes on, or happens when first needed.
 * @throws WechatPayConfigError when the certificates cannot be decrypted with the APIv3 key, or
 *   WeChat Pay has none for this merchant and no public key is configured
 */
export async function fetchPlatformKeysAtStartup(
  platformKeys: PlatformKeyStore,
  timeout: number,
  warn: (message: string) => void,
): Promise<void> {
  if (timeout <= 0 || !platformKeys.awaitsCertificates) return;
  const download = platformKeys.refresh();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeout);
  });
  const outcome = await Promise.race([
    download.then(
      () => 'done' as const,
      (error: unknown) => ({ error }),
    ),
    late,
  ]).finally(() => clearTimeout(timer));
  if (outcome === 'done') return;
  if (outcome === 'late') {
    warn(
      `WeChat Pay platform certificates were not fetched within ${timeout} ms at start-up; the download goes on in the background.`,
    );
    download.catch((error: unknown) =>
      warn(`WeChat Pay platform certificate download failed: ${messageOf(error)}`),
    );
    return;
  }
  if (outcome.error instanceof WechatPayConfigError) throw outcome.error;
  warn(
    `WeChat Pay platform certificates could not be fetched at start-up; they will be fetched when first needed. ${messageOf(outcome.error)}`,
  );
}
