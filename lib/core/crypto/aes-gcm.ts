import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  KeyObject,
  randomBytes,
} from 'node:crypto';
import { WechatPayConfigError, WechatPayDecryptError } from '../errors.js';

const TAG_LENGTH = 16;
const KEY_LENGTH = 32;

/** An encrypted `resource` as WeChat Pay sends it in notifications and certificate lists. */
export interface EncryptedResource {
  /** base64 of ciphertext ‖ 16-byte GCM tag. */
  ciphertext: string;
  /** The 12-character nonce used as the GCM IV. */
  nonce: string;
  /** Additional authenticated data; may be empty or absent. */
  associated_data?: string;
  /** Always `AEAD_AES_256_GCM` today; anything else is refused. */
  algorithm?: string;
  /** The type of the plaintext, e.g. `transaction`, `refund`, `certificate`. */
  original_type?: string;
}

/**
 * AES-256-GCM decryption with the tag checked. `data` is ciphertext ‖ tag.
 * @throws WechatPayDecryptError when authentication fails: nothing is returned for tampered data.
 */
export function aes256GcmDecrypt(
  key: KeyObject | Buffer,
  iv: Buffer,
  data: Buffer,
  aad: Buffer,
): Buffer {
  if (data.length < TAG_LENGTH) {
    throw new WechatPayDecryptError('AES-256-GCM ciphertext is shorter than its 16-byte tag');
  }
  // The tag set below is always exactly TAG_LENGTH bytes, so the authTagLength option would
  // only add its parsing to every notification.
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(data.subarray(data.length - TAG_LENGTH));
  decipher.setAAD(aad);
  const body = decipher.update(data.subarray(0, data.length - TAG_LENGTH));
  try {
    return Buffer.concat([body, decipher.final()]);
  } catch (cause) {
    body.fill(0);
    throw new WechatPayDecryptError(
      'AES-256-GCM authentication failed: the data was altered, or the key is not the one it was encrypted with',
      { cause },
    );
  }
}

/** AES-256-GCM encryption; returns ciphertext ‖ 16-byte tag. */
export function aes256GcmEncrypt(
  key: KeyObject | Buffer,
  iv: Buffer,
  plaintext: Buffer,
  aad: Buffer,
): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_LENGTH });
  cipher.setAAD(aad);
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/**
 * Turns an APIv3 key into a secret `KeyObject`, enforcing its length.
 * @throws WechatPayConfigError when the key is not exactly 32 bytes
 */
export function toApiV3Key(apiV3Key: string | KeyObject): KeyObject {
  if (apiV3Key instanceof KeyObject) {
    if (apiV3Key.type === 'secret' && apiV3Key.symmetricKeySize === KEY_LENGTH) return apiV3Key;
    throw apiV3KeyLengthError(apiV3Key.symmetricKeySize ?? 0);
  }
  const bytes = Buffer.from(apiV3Key, 'utf8');
  if (bytes.length !== KEY_LENGTH) throw apiV3KeyLengthError(bytes.length);
  return createSecretKey(bytes);
}

function apiV3KeyBytes(apiV3Key: string): Buffer {
  const bytes = Buffer.from(apiV3Key, 'utf8');
  if (bytes.length !== KEY_LENGTH) throw apiV3KeyLengthError(bytes.length);
  return bytes;
}

function apiV3KeyLengthError(length: number): WechatPayConfigError {
  return new WechatPayConfigError([
    {
      field: 'apiV3Key',
      message: `must be exactly 32 bytes, got ${length}. Copy the APIv3 key set in the merchant platform (账户中心 → API安全 → APIv3密钥); it is not the v2 API key or the mchid.`,
    },
  ]);
}

/**
 * Decrypts a notification or certificate `resource` (AEAD_AES_256_GCM) with the APIv3 key.
 *
 * @param resource `{ ciphertext, nonce, associated_data }` exactly as received
 * @param apiV3Key the 32-byte APIv3 key (string or a secret `KeyObject` made once at start-up)
 * @returns the plaintext, usually JSON text
 * @throws WechatPayDecryptError when the tag does not verify (most often: a wrong APIv3 key)
 * @throws WechatPayConfigError when the key is not 32 bytes
 * @example
 * const transaction = JSON.parse(decryptResource(notification.resource, process.env.WECHATPAY_API_V3_KEY!));
 */
export function decryptResource(resource: EncryptedResource, apiV3Key: string | KeyObject): string {
  // A key given as text is used as its bytes: making a KeyObject of it on every call cost the
  // helper a few percent against bare node:crypto.
  const key = typeof apiV3Key === 'string' ? apiV3KeyBytes(apiV3Key) : toApiV3Key(apiV3Key);
  if (resource.algorithm !== undefined && resource.algorithm !== 'AEAD_AES_256_GCM') {
    throw new WechatPayDecryptError(
      `unsupported resource algorithm "${resource.algorithm}": only AEAD_AES_256_GCM is defined`,
    );
  }
  if (typeof resource.ciphertext !== 'string' || typeof resource.nonce !== 'string') {
    throw new WechatPayDecryptError('resource needs string fields "ciphertext" and "nonce"');
  }
  try {
    const plaintext = aes256GcmDecrypt(
      key,
      Buffer.from(resource.nonce, 'utf8'),
      Buffer.from(resource.ciphertext, 'base64'),
      Buffer.from(resource.associated_data ?? '', 'utf8'),
    );
    return plaintext.toString('utf8');
  } catch (error) {
    if (error instanceof WechatPayDecryptError) {
      throw new WechatPayDecryptError(
        'could not decrypt the resource: the GCM tag did not verify. The usual cause is a wrong APIv3 key (check apiV3Key); otherwise the data was altered in transit.',
        { cause: error },
      );
    }
    throw error;
  }
}

/** Options of {@link encryptResource}. */
export interface EncryptResourceOptions {
  /** 12-character nonce; random when omitted. */
  nonce?: string;
  /** Additional authenticated data, e.g. `transaction`. @default '' */
  associatedData?: string;
  /** Copied into the result's `original_type`. */
  originalType?: string;
}

/**
 * Encrypts a plaintext the way WeChat Pay encrypts a `resource`. Used by the simulator, and by
 * users who build their own notification fixtures.
 */
export function encryptResource(
  plaintext: string,
  apiV3Key: string | KeyObject,
  options: EncryptResourceOptions = {},
): Required<Pick<EncryptedResource, 'algorithm' | 'ciphertext' | 'nonce' | 'associated_data'>> &
  EncryptedResource {
  const nonce = options.nonce ?? randomBytes(6).toString('hex');
  const associatedData = options.associatedData ?? '';
  const data = aes256GcmEncrypt(
    toApiV3Key(apiV3Key),
    Buffer.from(nonce, 'utf8'),
    Buffer.from(plaintext, 'utf8'),
    Buffer.from(associatedData, 'utf8'),
  );
  return {
    algorithm: 'AEAD_AES_256_GCM',
    ciphertext: data.toString('base64'),
    nonce,
    associated_data: associatedData,
    ...(options.originalType ? { original_type: options.originalType } : {}),
  };
}
