/** The dashboard's stylesheet, served as `dashboard.css` (the page allows no inline style). */
export const DASHBOARD_STYLE = /* css */ `
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5rem auto; padding: 0 1rem; max-width: 80rem; color: #222; }
h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
h2 { font-size: 1.05rem; margin: 1.5rem 0 .4rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #eee; vertical-align: top; }
th { font-weight: 600; color: #555; }
td.empty { color: #999; font-style: italic; }
code, .mono { font-family: ui-monospace, monospace; font-size: 12px; word-break: break-all; }
button { font: inherit; padding: .3rem .7rem; border-radius: 5px; border: 0; background: #07c160; color: #fff; cursor: pointer; margin: 0 .2rem .2rem 0; }
button.secondary { background: #576b95; }
button.danger, #faults button { background: #c0392b; }
#faults button.secondary { background: #576b95; }
form label { margin-right: .6rem; }
input, select { font: inherit; max-width: 9rem; }
.muted { color: #777; }
.state { font-weight: 700; }
.state-SUCCESS { color: #07c160; }
.state-NOTPAY, .state-PROCESSING, .state-WAIT_USER_CONFIRM, .state-ACCEPTED { color: #b7791f; }
.state-CLOSED, .state-REFUND, .state-CANCELLED, .state-ABNORMAL, .state-FAIL, .state-failed { color: #c0392b; }
#error { color: #c0392b; }
#message { color: #07c160; }
details pre { white-space: pre-wrap; word-break: break-all; max-height: 16rem; overflow: auto; background: #f7f7f7; padding: .4rem; margin: .2rem 0; }
`;
