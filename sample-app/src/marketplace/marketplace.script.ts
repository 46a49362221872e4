/**
 * The checkout page's marketplace section, served as a script so that the page itself only gains
 * a placeholder: place an order split with the shop, pay it (simulator), split, release the rest.
 */
export const MARKETPLACE_SCRIPT = /* js */ `
(async () => {
  const section = document.getElementById('marketplace');
  const post = async (path) => {
    const response = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    const text = await response.text();
    if (!response.ok) throw new Error(path + ': ' + response.status + ' ' + text);
    return text ? JSON.parse(text) : undefined;
  };
  const get = async (path) => (await fetch(path)).json();
  if (!section || !(await get('/marketplace/config')).enabled) return;
  section.hidden = false;
  const line = document.getElementById('marketplace-state');
  const say = (text) => { line.textContent = text; };
  const button = (label, onClick) => {
    const b = Object.assign(document.createElement('button'), { type: 'button', textContent: label, className: 'secondary' });
    b.addEventListener('click', async () => {
      try { await onClick(); } catch (error) { say(error.message); }
    });
    section.append(' ', b);
    return b;
  };
  let orderId;
  const splitLine = (s) => 'shop ' + s.shop + ' gets ' + (s.shopShare / 100).toFixed(2) + ' · split ' + (s.split ? s.split.state : '–') + ' · still frozen ' + (s.unsplitAmount / 100).toFixed(2);
  button('Marketplace order, split with the shop', async () => {
    const { order, codeUrl } = await post('/marketplace/orders');
    orderId = order.id;
    say('Order ' + order.id + ' (' + (order.total / 100).toFixed(2) + ', frozen for profit sharing): ' + codeUrl);
  });
  button('Pay (simulator)', async () => {
    await post('/simulator/orders/' + orderId + '/pay');
    say('Paid: ' + orderId + ' (split it once the notification arrived)');
  });
  button('Split to the shop', async () => say(splitLine(await post('/marketplace/orders/' + orderId + '/split'))));
  button('Refresh', async () => say(splitLine(await get('/marketplace/orders/' + orderId + '/split'))));
  button('Release the rest', async () => say(splitLine(await post('/marketplace/orders/' + orderId + '/release'))));
})();
`;
