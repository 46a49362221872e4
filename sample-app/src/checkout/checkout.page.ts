import { REWARD_SECTION } from '../rewards/rewards.page.js';

/**
 * The checkout page: plain HTML and a few lines of script, so that what happens is easy to
 * follow. It calls the same JSON routes a real front end would.
 */
export const CHECKOUT_PAGE = /* html */ `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sample shop · WeChat Pay checkout</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  h1 { font-size: 1.4rem; }
  fieldset { border: 1px solid #ddd; border-radius: 8px; margin: 0 0 1rem; }
  label { display: block; padding: .15rem 0; }
  button { font: inherit; padding: .5rem 1rem; border-radius: 6px; border: 0; background: #07c160; color: #fff; cursor: pointer; }
  button.secondary { background: #576b95; }
  button[hidden], [hidden] { display: none; }
  #qr img { width: 220px; height: 220px; border: 1px solid #eee; }
  #status { font-weight: 700; }
  .status-PAID { color: #07c160; } .status-REFUNDED { color: #576b95; } .status-REFUNDING { color: #b7791f; }
  .muted { color: #777; font-size: .9rem; word-break: break-all; }
  #error { color: #c00; }
</style>
</head>
<body>
<h1>Sample shop · 微信支付 checkout</h1>
<form id="checkout">
  <fieldset><legend>Product</legend><div id="products"></div></fieldset>
  <fieldset><legend>API version</legend>
    <label><input type="radio" name="api" value="v3" checked> API v3</label>
    <label><input type="radio" name="api" value="v2"> API v2</label>
  </fieldset>
  <button id="pay" type="submit">Pay with WeChat Pay (QR code)</button>
</form>
<section id="order" hidden>
  <p>Order <code id="order-id"></code> · <span id="amount"></span> · status <span id="status" data-testid="status"></span></p>
  <div id="qr"></div>
  <p class="muted" id="code-url"></p>
  <p>
    <button id="scan-and-pay" type="button" class="secondary" hidden>Scan and pay (simulator)</button>
    <button id="refund" type="button" class="secondary" hidden>Refund</button>
    <button id="abnormal-refund" type="button" class="secondary" hidden>Refund to our bank account (staff)</button>
  </p>
  <p class="muted" id="history"></p>
</section>
<section id="marketplace" hidden><h2>Marketplace (分账)</h2><p class="muted" id="marketplace-state">An order whose money is split with the shop.</p></section>
<p id="error" role="alert"></p>
<script src="/marketplace/checkout.js" defer></script>
${REWARD_SECTION}
<script>
const $ = (id) => document.getElementById(id);
let config;
let current;
let poller;

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(method + ' ' + path + ': ' + response.status + ' ' + text);
  return text ? JSON.parse(text) : undefined;
}

const yuan = (fen) => '¥' + (fen / 100).toFixed(2);

function show(order) {
  current = order;
  $('order').hidden = false;
  $('order-id').textContent = order.id;
  $('amount').textContent = yuan(order.total) + ' · API ' + order.api;
  $('status').textContent = order.status;
  $('status').className = 'status-' + order.status;
  $('history').textContent = order.history.join(' → ');
  $('scan-and-pay').hidden = !(config.simulator && order.status === 'CREATED');
  $('refund').hidden = order.status !== 'PAID';
  $('abnormal-refund').hidden = order.status !== 'REFUND_ABNORMAL';
}

// Live status: the notification changes the order on the server; the page polls it.
function watch(id) {
  clearInterval(poller);
  poller = setInterval(async () => {
    try {
      show(await call('GET', '/orders/' + encodeURIComponent(id)));
      if (current.status === 'REFUNDED' || current.status === 'CLOSED') clearInterval(poller);
    } catch (error) { $('error').textContent = error.message; }
  }, 400);
}

const guard = (action) => async (event) => {
  event.preventDefault();
  $('error').textContent = '';
  try { await action(); } catch (error) { $('error').textContent = error.message; }
};

$('checkout').addEventListener('submit', guard(async () => {
  const form = new FormData($('checkout'));
  const order = await call('POST', '/orders', { productId: form.get('product'), api: form.get('api') });
  const { codeUrl } = await call('POST', '/orders/' + order.id + '/pay/native', {});
  const qr = document.createElement('img');
  qr.alt = 'WeChat Pay QR code';
  qr.src = '/orders/' + encodeURIComponent(order.id) + '/qr.svg';
  $('qr').replaceChildren(qr);
  $('code-url').textContent = codeUrl;
  show(order);
  watch(order.id);
}));

$('scan-and-pay').addEventListener('click', guard(async () => {
  $('scan-and-pay').hidden = true;
  await call('POST', '/simulator/orders/' + current.id + '/pay');
}));

$('abnormal-refund').addEventListener('click', guard(async () => {
  $('abnormal-refund').hidden = true;
  show(await call('POST', '/orders/' + current.id + '/abnormal-refund', { type: 'MERCHANT_BANK_CARD' }));
  watch(current.id);
}));
$('refund').addEventListener('click', guard(async () => {
  $('refund').hidden = true;
  show(await call('POST', '/orders/' + current.id + '/refund'));
  watch(current.id);
}));

(async () => {
  config = await call('GET', '/checkout/config');
  // Built with textContent, never innerHTML: product names may come from a database.
  $('products').replaceChildren(...config.products.map((p, i) => {
    const label = document.createElement('label');
    const input = Object.assign(document.createElement('input'), {
      type: 'radio', name: 'product', value: p.id, checked: i === 0,
    });
    const note = document.createElement('span');
    note.className = 'muted';
    note.textContent = p.merchant ? ' (merchant “' + p.merchant + '”, API v3)' : '';
    label.append(input, ' ' + p.name + ' · ' + yuan(p.price), note);
    return label;
  }));
})().catch((error) => { $('error').textContent = error.message; });
</script>
</body>
</html>
`;
