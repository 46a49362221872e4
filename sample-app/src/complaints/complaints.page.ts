/** One row of the staff complaints page. */
export interface ComplaintRow {
  complaintId: string;
  time: string;
  state: string;
  detail: string;
  order?: string;
  images: number;
  notified?: { lastAction: string };
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The staff complaints page: a table of the last 30 days, newest notification marked. */
export function complaintsPage(rows: ComplaintRow[]): string {
  const body = rows
    .map(
      (r) =>
        `<tr><td><a href="/staff/complaints/${encodeURIComponent(r.complaintId)}">${escape(r.complaintId)}</a></td>` +
        `<td>${escape(r.time)}</td><td>${escape(r.state)}</td><td>${escape(r.order ?? '')}</td>` +
        `<td>${escape(r.detail)}</td><td>${r.images}</td><td>${escape(r.notified?.lastAction ?? '')}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="zh"><meta charset="utf-8"><title>投诉 · Complaints</title>
<h1>消费者投诉 · Complaints (last 30 days)</h1>
<table border="1" cellpadding="4"><thead><tr><th>投诉单号</th><th>Time</th><th>State</th><th>Order</th><th>Detail</th><th>Images</th><th>Last notification</th></tr></thead>
<tbody>${body || '<tr><td colspan="7">No complaints</td></tr>'}</tbody></table></html>`;
}
