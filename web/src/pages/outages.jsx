// 网络运行状况: whether each connected unit's gateway answers the server's outage check, since
// when, how fast, and its last 24 hours; and 中断记录, every outage the check saw with the fault
// ticket it opened (or the agreed maintenance window it fell in). The page says plainly when the
// check is off or failing, and which connected units it cannot check (no gateway registered).
import { useEffect, useState } from 'preact/hooks';
import { time } from '../format.js';
import { ListView } from '../list.jsx';
import { useValueNames, valueName } from '../schema.js';
import { Badge, CountLink, Link, useCount, useLoad, useUnitNames } from '../ui.jsx';

const HEALTH_KIND = { up: 'green', down: 'red', unknown: 'grey' };
const OUTAGE_KIND = { open: 'red', ended: 'green' };
const REFRESH_S = 30;

// A number that grows every REFRESH_S seconds while the page is open: the duty officer's
// screen follows the check without a reload.
function useTick() {
  const [n, setN] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setN((x) => x + 1), REFRESH_S * 1000);
    return () => clearInterval(t);
  }, []);
  return n;
}

// "3 小时 5 分" from minutes
function minutesText(m) {
  if (m == null) return '';
  const h = Math.floor(m / 60);
  return h ? `${h} 小时 ${m % 60} 分` : `${m} 分`;
}

// The settings and the last round of the check, or why there is none.
function Monitor({ x }) {
  if (!x) return null;
  if (!x.enabled) {
    return (
      <p class="warning" role="status">
        未开启中断监测：各单位网关不被检测，网络中断只能靠报修发现。请在服务器的配置文件 /etc/zwnet/zwnet.conf 中设置 outage_interval（检测间隔，秒）后重启服务。
      </p>
    );
  }
  return (
    <>
      <p class="muted" role="status" aria-label="中断监测">
        每 {x.interval_s} 秒检测一轮，每次等待 {x.timeout_ms} 毫秒；ICMP 无应答时{x.tcp_port ? `改试 TCP ${x.tcp_port} 端口` : '不再改试 TCP 端口'}；
        连续 {x.down_after} 次未应答判定中断，连续 {x.up_after} 次应答判定恢复。
        {x.last_round_at
          ? `最近一轮 ${time(x.last_round_at)}，用时 ${x.last_round_ms} 毫秒${x.checked != null ? `，检测 ${x.checked} 个单位` : ''}。`
          : '尚未完成第一轮检测。'}
      </p>
      {x.error ? <p class="error" role="alert">最近一轮检测失败：{x.error}</p> : null}
      {x.no_address ? (
        <p class="warning">
          {x.no_address} 个已接入单位未登记网关地址，无法检测：<Link href="/outages/health?state=unknown">查看这些单位</Link>，并在地址规划中为其地址段填写网关。
        </p>
      ) : null}
    </>
  );
}

// The last 24 hours, hour by hour: green every check answered, amber some did not, red none
// did, grey no check. The figures are in the label (and the title) for those who do not see it.
function Trend({ trend }) {
  if (!trend?.length) return <span class="muted">—</span>;
  const checks = trend.reduce((a, t) => a + t.checks, 0);
  const fails = trend.reduce((a, t) => a + t.fails, 0);
  const answered = trend.filter((t) => t.checks > t.fails);
  const avg = answered.length ? answered.reduce((a, t) => a + t.rtt_avg_ms, 0) / answered.length : null;
  const rate = checks ? (100 * (checks - fails)) / checks : 0;
  const label = `近 24 小时检测 ${checks} 次，可达率 ${rate.toFixed(1)}%${avg != null ? `，平均时延 ${avg.toFixed(1)} 毫秒` : ''}`;
  const byHour = new Map(trend.map((t) => [Date.parse(t.hour), t]));
  const end = Math.max(...byHour.keys());
  const bars = [];
  for (let i = 0; i < 24; i++) {
    const t = byHour.get(end - (23 - i) * 3600e3);
    const fill = !t || !t.checks ? '#d5dae0' : t.fails === 0 ? '#2e9d5b' : t.fails < t.checks ? '#d9a21b' : '#c8412f';
    bars.push(<rect x={i * 5} y={0} width={4} height={14} fill={fill} />);
  }
  return (
    <svg class="trend" width={120} height={14} viewBox="0 0 120 14" role="img" aria-label={label}>
      <title>{label}</title>
      {bars}
    </svg>
  );
}

function howText(h, port) {
  if (h.last_how === 'icmp') return 'ICMP 回显';
  if (h.last_how === 'tcp') return port ? `TCP ${port} 端口` : 'TCP 端口';
  return '';
}

export function Health({ path }) {
  const tick = useTick();
  const names = useValueNames('unit_health');
  const unit = useUnitNames();
  const carriers = useLoad('/carriers', true);
  const monitor = useLoad('/outages/monitor');
  useEffect(() => { if (tick) monitor.reload(); }, [tick]);
  const carrier = (id) => carriers.data?.items.find((c) => c.id === id)?.name || '';
  const counts = ['down', 'up', 'unknown'].map((st) => [st, `/outages/health?state=${st}`]);
  const n = counts.map(([, p]) => useCount(p, tick)); // a fixed list: the hooks' order holds
  const open = useCount('/outages?state=open', tick);
  return (
    <>
      <h1>网络运行状况</h1>
      <Monitor x={monitor.data} />
      <ul class="counts" aria-label="各状态的单位数">
        {counts.map(([st, p], i) => (
          <li><Badge kind={HEALTH_KIND[st]}>{valueName(names.state, st)}</Badge> <CountLink href={p} n={n[i]} unit="家" /></li>
        ))}
        <li>进行中的中断：<CountLink href="/outages?state=open" n={open} unit="次" /></li>
        <li><Link href="/outages">全部中断记录</Link></li>
      </ul>
      <ListView path={path} base="/outages/health" api="/outages/health" object="unit_health" caption="各单位网络运行状况"
        defaultSort="state" filters={['state', 'carrier_id']} empty="没有符合条件的单位" refresh={tick}
        columns={[
          { key: 'unit_id', render: (h) => <Link href={`/units/${h.unit_id}`}>{unit(h.unit_id)}</Link> },
          { key: 'address', render: (h) => h.address || '—' },
          { key: 'state', render: (h) => <Badge kind={HEALTH_KIND[h.state]}>{valueName(names.state, h.state)}</Badge> },
          { key: 'since', render: (h) => time(h.since) },
          { key: 'last_rtt_us', label: '时延', render: (h) => (h.state === 'up' && h.last_at ? `${(h.last_rtt_us / 1000).toFixed(1)} 毫秒` : '—') },
          { key: 'last_how', render: (h) => howText(h, monitor.data?.tcp_port) || '—' },
          { key: 'last_error', label: '说明', render: (h) => (h.state === 'up' ? '' : h.last_error) },
          { key: 'carrier_id', render: (h) => carrier(h.carrier_id) || '—' },
          { key: 'last_at', render: (h) => time(h.last_at) },
          { label: '近 24 小时', render: (h) => <Trend trend={h.trend} /> },
          { label: '中断', render: (h) => (h.outage_id ? <Link href={`/outages?unit_id=${h.unit_id}`}>中断记录</Link> : '') },
        ]} />
    </>
  );
}

export function Outages({ path }) {
  const tick = useTick();
  const names = useValueNames('outage');
  const unit = useUnitNames();
  const carriers = useLoad('/carriers', true);
  const carrier = (id) => carriers.data?.items.find((c) => c.id === id)?.name || '';
  return (
    <>
      <h1>中断记录</h1>
      <p><Link href="/outages/health">返回网络运行状况</Link></p>
      <ListView path={path} base="/outages" api="/outages" object="outage" caption="中断记录列表" defaultSort="-started_at"
        filters={['state', 'carrier_id']} empty="没有符合条件的中断记录" refresh={tick}
        columns={[
          { key: 'unit_id', render: (o) => <Link href={`/units/${o.unit_id}`}>{unit(o.unit_id)}</Link> },
          { key: 'address' },
          { key: 'state', render: (o) => <Badge kind={OUTAGE_KIND[o.state]}>{valueName(names.state, o.state)}</Badge> },
          { key: 'started_at', render: (o) => time(o.started_at) },
          { key: 'ended_at', render: (o) => (o.ended_at ? time(o.ended_at) : '—') },
          { key: 'minutes', label: '时长', render: (o) => (o.state === 'open' ? '中断中' : minutesText(o.minutes)) },
          { key: 'carrier_id', render: (o) => carrier(o.carrier_id) || '—' },
          { key: 'ticket_id', render: (o) => (o.ticket_id ? <Link href={`/tickets/${o.ticket_id}`}>工单 {o.ticket_id}</Link> : '—') },
          { key: 'maintenance_id', render: (o) => (o.maintenance_id ? <Link href={`/maintenance/${o.maintenance_id}`}>通知 {o.maintenance_id}</Link> : '—') },
          { key: 'note' },
        ]} />
    </>
  );
}
