/** The tab icon: WeChat Pay green, served as `favicon.svg` (else the browser asks the simulated WeChat Pay for /favicon.ico). */
export const DASHBOARD_ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#07c160"/></svg>';

/**
 * The dashboard page: a skeleton the script fills from `GET api/state`. No inline script or
 * style, so it runs under a `default-src 'none'; script-src 'self'` policy.
 */
export const DASHBOARD_HTML = /* html */ `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>WeChat Pay simulator · dashboard</title>
<link rel="icon" href="favicon.svg">
<link rel="stylesheet" href="dashboard.css">
<script src="dashboard.js" defer></script>
</head>
<body>
<header>
  <h1>WeChat Pay simulator <span class="muted">· 微信支付 test double</span></h1>
  <p class="muted" id="simulator"></p>
  <p id="message" role="status"></p>
  <p id="error" role="alert"></p>
</header>
<section id="faults">
  <h2>Fault injection</h2>
  <form id="fail-form">
    <label>HTTP status <input id="fail-status" type="number" min="400" max="599" value="500"></label>
    <label>code <input id="fail-code" value="SYSTEM_ERROR" pattern="[A-Z][A-Z0-9_]*"></label>
    <label>listener <select id="fail-listener">
      <option>primary</option><option>backup</option><option>secure</option><option>any</option>
    </select></label>
    <label>count <input id="fail-count" type="number" min="1" max="100" value="1"></label>
    <button id="fail-next-request" type="submit">Fail next request</button>
    <button id="reset-next-request" type="button" class="secondary">Reset next connection</button>
  </form>
  <p>
    <button id="drop-next-notification" type="button">Drop next notification</button>
    <button id="rotate-certificate" type="button">Rotate platform certificate</button>
  </p>
  <ul id="pending-faults" class="muted"></ul>
</section>
<section>
  <h2>Merchants</h2>
  <table id="merchants"><thead><tr><th>mchid</th><th>appid</th><th>certificate serial</th></tr></thead><tbody></tbody></table>
</section>
<section>
  <h2>Orders</h2>
  <table id="orders"><thead><tr><th>out_trade_no</th><th>merchant</th><th>channel</th><th>description</th><th>amount</th><th>state</th><th></th></tr></thead><tbody></tbody></table>
</section>
<section>
  <h2>Refunds</h2>
  <table id="refunds"><thead><tr><th>out_refund_no</th><th>order</th><th>refund</th><th>status</th><th></th></tr></thead><tbody></tbody></table>
</section>
<section>
  <h2>Transfers (商家转账)</h2>
  <table id="transfers"><thead><tr><th>out_bill_no</th><th>merchant</th><th>amount</th><th>remark</th><th>state</th><th></th></tr></thead><tbody></tbody></table>
</section>
<section>
  <h2>Notification deliveries</h2>
  <table id="deliveries"><thead><tr><th>time</th><th>event</th><th>attempt</th><th>to</th><th>answer</th><th>bodies</th></tr></thead><tbody></tbody></table>
</section>
<section>
  <h2>Requests received</h2>
  <table id="requests"><thead><tr><th>listener</th><th>method</th><th>path</th><th>status</th></tr></thead><tbody></tbody></table>
</section>
</body>
</html>
`;
