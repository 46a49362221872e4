/** WeChat Pay's API hosts. */
export const WECHATPAY_DOMAINS = {
  /** Mainland China, the default. */
  CHINA: 'https://api.mch.weixin.qq.com',
  /** Mainland China backup ("访问异地接入点"), used for failover. */
  CHINA2: 'https://api2.mch.weixin.qq.com',
  /** Hong Kong and South-East Asia. */
  HK: 'https://apihk.mch.weixin.qq.com',
  /** Other regions. */
  US: 'https://apius.mch.weixin.qq.com',
} as const;

/** A named WeChat Pay domain. */
export type WechatPayDomainName = keyof typeof WECHATPAY_DOMAINS;

/** The backup each named domain fails over to by default. */
const DEFAULT_BACKUP: Partial<Record<WechatPayDomainName, WechatPayDomainName>> = {
  CHINA: 'CHINA2',
  CHINA2: 'CHINA',
};

/** Where requests go: a primary base URL and, optionally, the one to fail over to. */
export interface ResolvedDomains {
  primary: string;
  backup?: string;
}

export function isDomainName(value: string): value is WechatPayDomainName {
  return Object.hasOwn(WECHATPAY_DOMAINS, value);
}

/** True for a name in {@link WECHATPAY_DOMAINS} or an absolute http(s) URL without a path. */
export function isValidDomain(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (isDomainName(value)) return true;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.pathname === '/';
  } catch {
    return false;
  }
}

/**
 * Resolves the configured domain names or URLs to base URLs (no trailing slash).
 * `backup: false` turns failover off.
 */
export function resolveDomains(domain: string, backup?: string | false): ResolvedDomains {
  const primary = toBaseUrl(domain);
  if (backup === false) return { primary };
  const backupName = backup ?? (isDomainName(domain) ? DEFAULT_BACKUP[domain] : undefined);
  return backupName ? { primary, backup: toBaseUrl(backupName) } : { primary };
}

function toBaseUrl(domain: string): string {
  return isDomainName(domain) ? WECHATPAY_DOMAINS[domain] : new URL(domain).origin;
}
