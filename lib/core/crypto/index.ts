// The `nestjs-wechatpay/crypto` entry point: WeChat Pay's cryptography without Nest and without
// a client. Named exports only, pinned by test/unit/public-api.spec.ts.

// API v3: SHA256withRSA request signatures and answer verification
export { buildAuthorization, type AuthorizationInput } from './authorization.js';
export { buildV3Message, signV3Message, verifyV3Message } from './rsa-sign.js';
export { toRsaPrivateKey, toRsaPublicKey, type KeyInput } from './keys.js';
export { generateNonce } from './nonce.js';

// API v3: AEAD_AES_256_GCM resources (notifications, certificates), RSA-OAEP sensitive fields
export {
  decryptResource,
  encryptResource,
  toApiV3Key,
  type EncryptedResource,
  type EncryptResourceOptions,
} from './aes-gcm.js';
export { decryptSensitive, encryptSensitive } from './rsa-oaep.js';

// API v2: MD5 / HMAC-SHA256 signatures, refund notification req_info (AES-256-ECB)
export { buildV2SignString, signV2, verifyV2, type V2SignType } from './v2-sign.js';
export { decryptV2RefundInfo, encryptV2RefundInfo } from './v2-refund-info.js';
