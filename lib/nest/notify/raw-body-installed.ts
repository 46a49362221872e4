/** HTTP adapters of the apps that called `useWechatPayRawBody`. Internal: not exported. */
const installed = new WeakSet<object>();

/** Records that `useWechatPayRawBody` set up raw bodies for the app of this HTTP adapter. */
export function markRawBodyInstalled(httpAdapter: object): void {
  installed.add(httpAdapter);
}

/**
 * Whether `useWechatPayRawBody` was called for the app of this HTTP adapter: then a missing raw
 * body means this request was not captured, not that the setup is missing.
 */
export function isRawBodyInstalled(httpAdapter: object): boolean {
  return installed.has(httpAdapter);
}
