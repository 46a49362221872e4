/**
 * The till page (付款码): ring up a product, scan the code in the payer's WeChat, charge it. The
 * answer comes once the payment is final, however long the payer takes to type a password.
 * Against the simulator it also plays the payer's phone.
 */
export const TILL_PAGE = /* html */ `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sample shop · till (付款码)</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  fieldset { border: 1px solid #ddd; border-radius: 8px; margin: 0 0 1rem; }
  label { display: block; padding: .15rem 0; }
  input[name=authCode] { font: inherit; width: 14rem; letter-spacing: .1em; }
  button { font: inherit; padding: .5rem 1rem; border-radius: 6px; border: 0; background: #07c160; color: #fff; cursor: pointer; }
  button.secondary { background: #576b95; }
  [hidden] { display: none; }
  #result { font-weight: 700; }
  .paid { color: #07c160; } .failed, .unknown { color: #c00; } .reversed { color: #b7791f; }
</style>
</head>
<body>
<h1>Sample shop · till 付款码</h1>
<form id="till">
  <fieldset><legend>Product</legend><div id="products"></div></fieldset>
  <fieldset><legend>API version</legend>
    <label><input type="radio" name="api" value="v3" checked> API v3</label>
    <label><input type="radio" name="api" value="v2"> API v2</label>
  </fieldset>
  <fieldset><legend>Payment code</legend>
    <input name="authCode" inputmode="numeric" maxlength="18" placeholder="scan the payer's code" required>
    <p id="phones" hidden>Payer's phone (simulator):
      <button type="button" class="secondary" data-behaviour="pays">pays</button>
      <button type="button" class="secondary" data-behaviour="types-password">types a password</button>
      <button type="button" class="secondary" data-behaviour="walks-away">walks away</button>
      <button type="button" class="secondary" data-behaviour="lacks-funds">lacks funds</button>
    </p>
  </fieldset>
  <button id="charge" type="submit">Charge</button>
</form>
<p>Result: <span id="result" data-testid="result"></span></p>
<p id="detail"></p>
<script>
const $ = (id) => document.getElementById(id);
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
const form = $('till');
call('GET', '/checkout/config').then((config) => {
  $('products').innerHTML = config.products.map((p, i) =>
    '<label><input type="radio" name="productId" value="' + p.id + '"' + (i ? '' : ' checked') + '> ' +
    p.name + ' · ¥' + (p.price / 100).toFixed(2) + '</label>').join('');
  $('phones').hidden = !config.simulator;
});
for (const button of document.querySelectorAll('[data-behaviour]')) {
  button.addEventListener('click', async () => {
    const { authCode } = await call('POST', '/till/simulator/payment-code', { behaviour: button.dataset.behaviour });
    form.authCode.value = authCode;
  });
}
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  $('charge').disabled = true;
  $('result').className = '';
  $('result').textContent = 'waiting for WeChat Pay…';
  $('detail').textContent = '';
  try {
    const answer = await call('POST', '/till/charge', {
      productId: form.productId.value, api: form.api.value, authCode: form.authCode.value,
    });
    $('result').className = answer.status;
    $('result').textContent = answer.status;
    $('detail').textContent = 'order ' + answer.order.id + ' · ' + answer.order.status +
      (answer.message ? ' · ' + answer.message : '');
    form.authCode.value = '';
  } catch (error) {
    $('result').textContent = String(error.message);
  } finally {
    $('charge').disabled = false;
  }
});
</script>
</body>
</html>
`;
