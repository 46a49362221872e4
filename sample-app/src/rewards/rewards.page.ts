/**
 * The checkout page's reward panel: pays the new-member reward and shows what the mini program
 * would pass to wx.requestMerchantTransfer; with the simulator, a button confirms as the user.
 */
export const REWARD_SECTION = /* html */ `
<section id="reward-panel">
  <h2>Reward paid out to a user (商家转账)</h2>
  <button id="reward" type="button" class="secondary">Grant the ¥5.00 new-member reward</button>
  <p id="reward-info" hidden>Reward <code id="reward-id"></code> · status <span id="reward-status" data-testid="reward-status"></span></p>
  <p class="muted" id="reward-params"></p>
  <button id="reward-confirm" type="button" class="secondary" hidden>Confirm receipt as the user (simulator)</button>
</section>
<script>
(() => {
  const $ = (id) => document.getElementById(id);
  let reward;
  let poller;
  let config;
  const api = async (method, path, body) => {
    const response = await fetch(path, { method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    const text = await response.text();
    if (!response.ok) throw new Error(method + ' ' + path + ': ' + response.status + ' ' + text);
    return text ? JSON.parse(text) : undefined;
  };
  const show = async (next) => {
    reward = next;
    $('reward-info').hidden = false;
    $('reward-id').textContent = reward.id;
    $('reward-status').textContent = reward.status;
    $('reward-params').textContent = reward.confirmParams ? 'wx.requestMerchantTransfer(' + JSON.stringify(reward.confirmParams) + ')' : reward.history.join(' → ');
    config ??= await api('GET', '/checkout/config');
    $('reward-confirm').hidden = !(config.simulator && reward.status === 'WAITING_USER');
  };
  const fail = (error) => { document.getElementById('error').textContent = error.message; };
  $('reward').addEventListener('click', () => api('POST', '/rewards', { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }).then((r) => {
    show(r);
    clearInterval(poller);
    poller = setInterval(() => api('GET', '/rewards/' + r.id).then(show).catch(fail), 500);
  }).catch(fail));
  $('reward-confirm').addEventListener('click', () => {
    $('reward-confirm').hidden = true;
    api('POST', '/simulator/transfers/' + reward.id + '/confirm').catch(fail);
  });
})();
</script>
`;
