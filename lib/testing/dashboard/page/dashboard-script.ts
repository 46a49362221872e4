/**
 * The dashboard's script, served as `dashboard.js`: polls `api/state` and draws it with
 * `textContent` and `createElement` only (never `innerHTML`: descriptions, remarks and answer
 * bodies come from the app under test and may hold markup), and posts the actions.
 */
export const DASHBOARD_SCRIPT = /* js */ `'use strict';
const $ = (id) => document.getElementById(id);
let lastText = '';

// An element with text and attributes; children are elements or strings (text nodes).
function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key === 'className') node.className = value;
    else if (key === 'onclick') node.addEventListener('click', value);
    else node.setAttribute(key, String(value));
  }
  node.append(...children.filter((c) => c !== undefined && c !== null));
  return node;
}

const money = (fen, currency) => (fen / 100).toFixed(2) + ' ' + (currency || 'CNY');
const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '');
const state = (value) => el('span', { className: 'state state-' + value, text: value });
// An HTTP status, green for 2xx and red otherwise (-1: the connection was reset, 0: no answer yet).
const httpStatus = (code) => el('span', {
  className: 'state ' + (code >= 200 && code < 300 ? 'state-SUCCESS' : code === 0 ? '' : 'state-FAIL'),
  text: code === -1 ? 'reset' : code === 0 ? 'pending' : String(code),
});

async function post(path, body) {
  $('error').textContent = '';
  $('message').textContent = '';
  const response = await fetch('api/' + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body || {}),
  });
  const text = await response.text();
  const answer = text ? JSON.parse(text) : {};
  if (!response.ok) throw new Error(answer.error || response.status + ' ' + text);
  return answer;
}

// A button that runs an action, reports its outcome and redraws at once.
function action(label, path, body, options) {
  return el('button', {
    type: 'button',
    className: (options && options.className) || undefined,
    'data-action': path.split('/').pop(),
    text: label,
    onclick: async (event) => {
      event.target.disabled = true;
      try {
        await post(path, body);
        $('message').textContent = label + ': done';
      } catch (error) {
        $('error').textContent = label + ': ' + error.message;
      }
      await refresh();
    },
  });
}

function fill(table, rows, columns) {
  const body = $(table).tBodies[0];
  if (!rows.length) {
    body.replaceChildren(el('tr', {}, el('td', { className: 'empty', colspan: columns, text: 'none yet' })));
    return;
  }
  body.replaceChildren(...rows);
}

const cell = (...children) => el('td', {}, ...children);
const text = (value, className) => el('td', { className, text: value === undefined ? '' : value });
const id = (value) => el('td', {}, el('code', { text: value }));
const idPath = (value) => encodeURIComponent(value);

function render(s) {
  $('simulator').textContent =
    s.simulator.url + (s.simulator.backupUrl ? ' (backup ' + s.simulator.backupUrl + ')' : '') +
    ' · verification ' + s.simulator.verification + ', signing with the ' + s.simulator.signingWith +
    ' · platform certificate ' + s.simulator.certificates.map((c) => c.serial).join(', ') +
    (s.simulator.verification === 'certificate' ? '' : ' · public key ' + s.simulator.publicKeyId);
  $('simulator').dataset.serial = s.simulator.certificates.length
    ? s.simulator.certificates[s.simulator.certificates.length - 1].serial : '';

  const pending = s.faults.pending.map((f) => el('li', {
    className: 'pending-fault',
    text: (f.fault.type === 'status' ? 'HTTP ' + f.fault.status + ' ' + (f.fault.code || '') : f.fault.type) +
      ' × ' + f.remaining + ' on ' + f.listener,
  }));
  if (s.faults.dropNotifications) {
    pending.push(el('li', { className: 'pending-fault', text: 'drop ' + s.faults.dropNotifications + ' notification delivery attempt(s)' }));
  }
  $('pending-faults').replaceChildren(...pending);

  fill('merchants', s.merchants.map((m) => el('tr', {}, id(m.mchid), id(m.appid), id(m.serialNo))), 3);

  fill('orders', s.orders.map((o) => el('tr', { 'data-id': o.outTradeNo, 'data-state': o.state },
    id(o.outTradeNo),
    text(o.mchid + (o.subMchid ? ' / ' + o.subMchid : '')),
    text(o.channel + ' · API ' + o.apiVersion),
    text(o.description),
    text(money(o.total, o.currency) + (o.refunded ? ' (refunded ' + money(o.refunded, o.currency) + ')' : '')),
    cell(state(o.state)),
    cell(o.state !== 'NOTPAY' || o.channel === 'micropay' ? undefined : o.combineOutTradeNo
      ? action('Pay combine ' + o.combineOutTradeNo + ' as the user', 'combine-orders/' + idPath(o.combineOutTradeNo) + '/pay')
      : action('Pay as the user', 'orders/' + idPath(o.outTradeNo) + '/pay')),
  )), 7);

  fill('refunds', s.refunds.map((r) => el('tr', { 'data-id': r.outRefundNo, 'data-state': r.status },
    id(r.outRefundNo), id(r.outTradeNo),
    text(money(r.refund) + ' of ' + money(r.total)),
    cell(state(r.status)),
    cell(...(r.status === 'PROCESSING' ? [
      action('Complete', 'refunds/' + idPath(r.outRefundNo) + '/complete', { status: 'SUCCESS' }),
      action('Abnormal', 'refunds/' + idPath(r.outRefundNo) + '/complete', { status: 'ABNORMAL' }, { className: 'secondary' }),
      action('Close', 'refunds/' + idPath(r.outRefundNo) + '/complete', { status: 'CLOSED' }, { className: 'secondary' }),
    ] : [])),
  )), 5);

  const transfers = s.transfers || [];
  fill('transfers', transfers.map((t) => el('tr', { 'data-id': t.outBillNo, 'data-state': t.state },
    id(t.outBillNo),
    text(t.mchid + (t.subMchid ? ' / ' + t.subMchid : '')),
    text(money(t.amount)),
    text(t.remark),
    cell(state(t.state), t.failReason ? ' ' + t.failReason : undefined),
    cell(t.state === 'WAIT_USER_CONFIRM'
      ? action('Confirm as the user', 'transfers/' + idPath(t.outBillNo) + '/confirm') : undefined),
  )), 6);

  fill('deliveries', s.deliveries.slice().reverse().map((d) => el('tr', {
    'data-event': d.eventType, 'data-status': d.status === undefined ? 'none' : d.status,
  },
    text(time(d.at)),
    cell(el('span', { text: d.eventType }), el('br'), el('code', { className: 'muted', text: d.id })),
    text('#' + d.attempt),
    cell(el('code', { text: d.url })),
    cell(d.status === undefined ? state('failed') : httpStatus(d.status), d.error ? ' ' + d.error : undefined),
    cell(el('details', {},
      el('summary', { text: 'sent / answer' }),
      el('div', { className: 'muted', text: 'sent' }),
      el('pre', { className: 'sent', text: d.requestBody }),
      el('div', { className: 'muted', text: 'answer' }),
      el('pre', { className: 'answer', text: d.responseBody || '(empty)' }),
    )),
  )), 6);

  fill('requests', s.requests.slice().reverse().map((r) => el('tr', { 'data-status': r.status },
    text(r.listener), text(r.method), cell(el('code', { text: r.path })),
    cell(httpStatus(r.status)),
  )), 4);
}

async function refresh() {
  try {
    const response = await fetch('api/state');
    const body = await response.text();
    if (!response.ok) throw new Error('state: ' + response.status + ' ' + body);
    // Redraw only on change, so a button is not replaced under the pointer.
    if (body !== lastText) {
      lastText = body;
      render(JSON.parse(body));
    }
  } catch (error) {
    $('error').textContent = error.message;
  }
}

function faultRunner(label, path, body) {
  return async (event) => {
    event.preventDefault();
    try {
      await post(path, body());
      $('message').textContent = label + ': done';
    } catch (error) {
      $('error').textContent = label + ': ' + error.message;
    }
    await refresh();
  };
}

const failBody = (kind) => () => ({
  kind,
  status: Number($('fail-status').value),
  code: $('fail-code').value,
  listener: $('fail-listener').value,
  count: Number($('fail-count').value),
});

document.addEventListener('DOMContentLoaded', () => {
  $('fail-form').addEventListener('submit', faultRunner('Fail next request', 'faults/fail-next-request', failBody('status')));
  $('reset-next-request').addEventListener('click', faultRunner('Reset next connection', 'faults/fail-next-request', failBody('reset')));
  $('drop-next-notification').addEventListener('click', faultRunner('Drop next notification', 'faults/drop-next-notification', () => ({})));
  $('rotate-certificate').addEventListener('click', faultRunner('Rotate platform certificate', 'platform-certificate/rotate', () => ({})));
  void refresh();
  setInterval(refresh, 1000);
});
`;
