/**
 * The path templates of the WeChat Pay APIs this package calls, so spans and metrics name the
 * operation, never the order, refund or complaint number in its path. Products with a variable
 * path segment add their template here.
 */
const TEMPLATES: readonly string[] = [
  // Static paths first where a template below has a variable at the same place.
  '/v3/profitsharing/orders/unfreeze',
  '/v3/merchant-service/images/upload',
  ...['jsapi', 'app', 'h5', 'native', 'codepay'].map((c) => `/v3/pay/partner/transactions/${c}`),
  '/v3/pay/transactions/out-trade-no/{out_trade_no}',
  '/v3/pay/transactions/out-trade-no/{out_trade_no}/close',
  '/v3/pay/transactions/out-trade-no/{out_trade_no}/reverse',
  '/v3/pay/transactions/id/{transaction_id}',
  '/v3/pay/partner/transactions/out-trade-no/{out_trade_no}',
  '/v3/pay/partner/transactions/out-trade-no/{out_trade_no}/close',
  '/v3/pay/partner/transactions/out-trade-no/{out_trade_no}/reverse',
  '/v3/pay/partner/transactions/id/{transaction_id}',
  '/v3/combine-transactions/out-trade-no/{combine_out_trade_no}',
  '/v3/combine-transactions/out-trade-no/{combine_out_trade_no}/close',
  '/v3/refund/domestic/refunds/{out_refund_no}',
  '/v3/refund/domestic/refunds/{refund_id}/apply-abnormal-refund',
  '/v3/profitsharing/orders/{out_order_no}',
  '/v3/profitsharing/return-orders/{out_return_no}',
  '/v3/profitsharing/transactions/{transaction_id}/amounts',
  '/v3/profitsharing/merchant-configs/{sub_mchid}',
  '/v3/merchant-service/complaints-v2/{complaint_id}',
  '/v3/merchant-service/complaints-v2/{complaint_id}/{action}',
  '/v3/merchant-service/images/{media_id}',
  ...['/v3/fund-app/mch-transfer', '/v3/fund-app/mch-transfer/partner'].flatMap((base) => [
    `${base}/transfer-bills/out-bill-no/{out_bill_no}`,
    `${base}/transfer-bills/out-bill-no/{out_bill_no}/cancel`,
    `${base}/transfer-bills/transfer-bill-no/{transfer_bill_no}`,
  ]),
  '/v3/fund-app/mch-transfer/elecsign/out-bill-no/{out_bill_no}',
  '/v3/fund-app/mch-transfer/partner/electronic-receipts/{out_bill_no}',
];

interface Matcher {
  segments: readonly (string | undefined)[];
  template: string;
}

/** Per segment count; `undefined` stands for a variable segment. */
const MATCHERS = new Map<number, Matcher[]>();
for (const template of TEMPLATES) {
  const segments = template
    .split('/')
    .slice(1)
    .map((s) => (s.startsWith('{') ? undefined : s));
  const list = MATCHERS.get(segments.length) ?? [];
  list.push({ segments, template });
  MATCHERS.set(segments.length, list);
}

/**
 * A word of WeChat Pay's own paths: lower-case words joined by `-` or `_`, digits only in a
 * version (`v3`, `complaints-v2`) or the two onboarding names; an order number never is one.
 */
const STATIC_SEGMENT = /^(?:[a-z_]+(?:-[a-z_]+)*(?:-v\d)?|v\d|applyment4sub|apply4subject)$/;

const cache = new Map<string, string>();

/**
 * The template of a request path (query left out): a known template when one matches; the path
 * itself when it has at most four segments, all of them words of the API, none where a known
 * template has a variable; else the first two segments followed by `/{…}`, so an unlisted path
 * never carries a number into telemetry.
 * @example urlTemplate('/v3/pay/transactions/out-trade-no/1217752501201407033233368018?mchid=1') // '/v3/pay/transactions/out-trade-no/{out_trade_no}'
 */
export function urlTemplate(pathWithQuery: string): string {
  const path = pathWithQuery.split('?', 1)[0]!;
  const cached = cache.get(path);
  if (cached !== undefined) return cached;
  const template = templateOf(path);
  // Only paths that are their own template are cached: a bounded set, never an order number.
  if (template === path && cache.size < 1000) cache.set(path, template);
  return template;
}

function templateOf(path: string): string {
  const segments = path.split('/').slice(1);
  for (const matcher of MATCHERS.get(segments.length) ?? []) {
    if (matcher.segments.every((s, i) => s === undefined || s === segments[i])) {
      return matcher.template;
    }
  }
  if (
    segments.length <= 4 &&
    segments.every((s) => STATIC_SEGMENT.test(s)) &&
    !underKnownVariable(segments)
  ) {
    return path;
  }
  return `/${segments.slice(0, 2).join('/')}/{…}`;
}

/** Whether a known template has a variable where `segments` has a word (same prefix). */
function underKnownVariable(segments: readonly string[]): boolean {
  for (const matchers of MATCHERS.values()) {
    for (const { segments: known } of matchers) {
      const variable = known.indexOf(undefined);
      if (
        variable >= 0 &&
        variable < segments.length &&
        known.slice(0, variable).every((s, i) => s === segments[i])
      ) {
        return true;
      }
    }
  }
  return false;
}
