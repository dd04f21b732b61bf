// Dates and numbers the way a county office writes them.

// Today in Beijing as YYYY-MM-DD, whatever the browser's own time zone.
export function today(now = Date.now()) {
  return new Date(now + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

export function day(iso) {
  if (!iso) return '';
  const d = new Date(iso.length === 10 ? iso + 'T00:00:00+08:00' : iso);
  if (Number.isNaN(d.getTime())) return iso;
  const bj = new Date(d.getTime() + 8 * 3600 * 1000);
  return `${bj.getUTCFullYear()}年${bj.getUTCMonth() + 1}月${bj.getUTCDate()}日`;
}

export function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const bj = new Date(d.getTime() + 8 * 3600 * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return `${day(iso)} ${p(bj.getUTCHours())}:${p(bj.getUTCMinutes())}`;
}

// A deadline's state for the traffic light: green (running, not close), amber (due within
// a day or paused), red (breached or overdue), grey (met or cancelled).
export function deadlineLevel(d, now = Date.now()) {
  if (!d) return 'none';
  if (d.status === 'breached') return 'red';
  if (d.status === 'met' || d.status === 'cancelled') return 'done';
  if (d.status === 'paused') return 'amber';
  const left = new Date(d.due_at).getTime() - now;
  if (left < 0) return 'red';
  if (left < 24 * 3600 * 1000) return 'amber';
  return 'green';
}

// What is left of a running deadline; any other, its status by the server's name (names:
// deadline.status's names from GET /schemas) and a breached one that was met late as such.
export function countdown(d, names = {}, now = Date.now()) {
  if (!d) return '';
  const name = (s) => names[s] ?? s;
  if (d.status === 'breached' && d.met_at) return '已完成（超期）';
  if (d.status !== 'running') return name(d.status);
  // a working-day deadline by the county's calendar, as the server counts it
  if (d.working_days_left != null) return d.working_days_left ? `剩余 ${d.working_days_left} 个工作日` : '今日截止';
  const ms = new Date(d.due_at).getTime() - now;
  if (ms < 0) return name('breached');
  const h = Math.floor(ms / 3600000);
  if (h >= 24) return `剩余 ${Math.floor(h / 24)} 天 ${h % 24} 小时`;
  return `剩余 ${h} 小时 ${Math.floor((ms % 3600000) / 60000)} 分`;
}
