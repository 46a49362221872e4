import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * An RSA key written to a temporary directory, so the OpenSSL command line can act as an
 * independent second implementation to check ours against.
 */
export class OpenSslKey {
  readonly dir = mkdtempSync(join(tmpdir(), 'wechatpay-openssl-'));
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly privatePath = join(this.dir, 'key.pem');
  readonly publicPath = join(this.dir, 'pub.pem');

  constructor() {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
    writeFileSync(this.privatePath, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(this.publicPath, pair.publicKey.export({ type: 'spki', format: 'pem' }));
  }

  /** Runs `openssl` with `input` on stdin and returns stdout. */
  run(args: string[], input: Buffer | string): Buffer {
    return execFileSync('openssl', args, { input, cwd: this.dir });
  }

  /** Writes a file in the key's directory and returns its path. */
  file(name: string, content: Buffer | string): string {
    const path = join(this.dir, name);
    writeFileSync(path, content);
    return path;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
