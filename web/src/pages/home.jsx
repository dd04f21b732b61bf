// 首页: for the center, the state of the whole network and what is waiting; for a unit's
// administrator, their own unit only.
import { useEffect, useRef, useState } from 'preact/hooks';
import { day, time } from '../format.js';
import { PROBE_STATE } from './probes.jsx';
import { useKindLabels, useSchema, useValueNames, valueName } from '../schema.js';
import { grantedText } from './applications.jsx';
import { AppStatus, Badge, ClauseLink, CountLink, DeadlineBadge, Link, Loading, Table, UnitStatus, can, useCount, useDeadlineRules, useLoad, useSession, subjectPath, useUnitNames, useUnitStatuses } from '../ui.jsx';

function UnitsChart({ counts }) {
  const statuses = useUnitStatuses();
  const el = useRef(null);
  useEffect(() => {
    let chart;
    let live = true;
    // the chart code is its own chunk, loaded only on this page
    import('../chart.js').then(({ pie }) => {
      if (live && el.current) chart = pie(el.current, statuses.map((s) => ({ name: s, value: counts[s] || 0 })));
    });
    return () => { live = false; chart?.dispose(); };
  }, [counts, statuses.length]);
  return <div ref={el} class="chart" role="img" aria-label={'单位接入状态：' + statuses.map((s) => `${s} ${counts[s] || 0} 家`).join('，')} />;
}

function ExpiryWarning() {
  const p = useLoad('/profile');
  if (!p.data?.expiry_warning) return null;
  return <div class="warning" role="alert">{p.data.expiry_warning}</div>;
}

function Waiting({ unitId }) {
  const q = unitId ? `&unit_id=${unitId}` : '';
  const running = useLoad(`/deadlines?subject_type=application&status=running&sort=due_at&limit=50${q}`);
  const paused = useLoad(`/deadlines?subject_type=application&status=paused&sort=due_at&limit=50${q}`);
  const breached = useLoad(`/deadlines?subject_type=application&status=breached&sort=due_at&limit=20${q}`);
  const rules = useDeadlineRules();
  const rows = [...(breached.data?.items || []).filter((d) => !d.met_at),
    ...(running.data?.items || []), ...(paused.data?.items || [])];
  // a list that stops at its page says so, and where the rest is
  const more = [running, paused, breached].some((x) => x.data?.next_cursor);
  return (
    <section aria-labelledby="waiting">
      <h2 id="waiting">待办申请与时限</h2>
      {more ? <p class="muted">只列出了最早到期的一部分，<Link href="/deadlines?subject_type=application">查看全部申请时限</Link>。</p> : null}
      <Table rows={rows} empty="没有待办的申请" columns={[
        { label: '申请', render: (d) => <Link href={`/applications/${d.subject_id}`}>申请 {d.subject_id}</Link> },
        { label: '环节', render: (d) => valueName(rules, d.rule) },
        { label: '截止', render: (d) => day(d.due_date || d.due_at) },
        { label: '时限', render: (d) => <DeadlineBadge d={d} /> },
      ]} />
    </section>
  );
}

// The carrier's (and the O&M team's) work queue: access and change applications being
// implemented, with what was granted and the deadline each waits on;
// the first 20 and the way to all of them.
function WorkQueue() {
  const kindLabels = useKindLabels();
  const path = '/applications?status=' + encodeURIComponent('实施中');
  const apps = useLoad(`${path}&limit=20`);
  return (
    <section aria-labelledby="queue">
      <h2 id="queue">待实施的申请</h2>
      <Loading state={apps}>{(d) => (
        <>
          <Table rows={d.items} empty="没有待实施的申请" columns={[
            { label: '申请', render: (a) => <Link href={`/applications/${a.id}`}>{kindLabels[a.kind]} {a.id}</Link> },
            { label: '地址', key: 'address' },
            { label: '分配', render: (a) => grantedText(a.granted) },
            { label: '实施时限', render: (a) => <DeadlineBadge d={a.open_deadline} /> },
          ]} />
          {d.next_cursor ? <p>共 {d.total} 件，只列出了前 {d.items.length} 件：<Link href={path}>全部待实施的申请</Link></p> : null}
        </>
      )}</Loading>
    </section>
  );
}

// How the implementation deadlines stand (TB-13's 7 working days and the like): for each
// kind's implementation rule the county has, how many were met on time, are running, and
// were breached, each linked to its list. Fault-ticket SLAs per carrier come with the tickets.
function ImplementationSla() {
  const kinds = useSchema('application_kinds') || [];
  const names = useDeadlineRules();
  const rules = [...new Set(kinds.map((k) => k.implement_rule).filter((r) => r && names[r]))];
  if (!rules.length) return null;
  const cell = (rule, status) => <RuleCount rule={rule} status={status} />;
  return (
    <section aria-labelledby="sla">
      <h2 id="sla">实施时限履行情况</h2>
      <Table rows={rules.map((r) => ({ id: r, rule: r }))} caption="实施时限履行情况" columns={[
        { label: '时限', render: (x) => names[x.rule] },
        { label: '按期完成', render: (x) => cell(x.rule, 'met') },
        { label: '进行中', render: (x) => cell(x.rule, 'running') },
        { label: '已超期', render: (x) => cell(x.rule, 'breached') },
      ]} />
    </section>
  );
}

function RuleCount({ rule, status }) {
  const path = `/deadlines?rule=${encodeURIComponent(rule)}&status=${status}`;
  return <CountLink href={path} n={useCount(path)} />;
}

// The units by status: each status's count from the server (the list's total).
function UnitCounts() {
  const statuses = useUnitStatuses();
  const [counts, setCounts] = useState({});
  const known = statuses.length && statuses.every((x) => counts[x] !== undefined);
  return (
    <section aria-labelledby="by-status">
      <h2 id="by-status">单位接入状态</h2>
      {known ? <UnitsChart counts={counts} /> : null}
      <ul class="counts">
        {statuses.map((x) => <UnitCount status={x} onCount={(n) => setCounts((c) => ({ ...c, [x]: n }))} />)}
      </ul>
    </section>
  );
}

function UnitCount({ status, onCount }) {
  const path = `/units?status=${encodeURIComponent(status)}`;
  const n = useCount(path);
  useEffect(() => { if (n !== undefined) onCount(n); }, [n]);
  return <li><UnitStatus status={status} /> <CountLink href={path} n={n} unit="家" /></li>;
}

// What waits for the center: open findings and cases, deadlines running and breached.
function Work() {
  const s = useSession();
  const rows = [
    ['FINDING_READ', '待处理的监测发现', '/findings?status=open'],
    ['VIOLATION_READ', '待处理的违规事项', '/violations?state=open'],
    ['VIOLATION_READ', '已断网隔离', '/violations?state=isolated'],
    ['VIOLATION_READ', '整改中', '/violations?state=rectifying'],
    ['DEADLINE_READ', '整改超期', '/deadlines?subject_type=violation&status=breached'],
    ['DEADLINE_READ', '进行中的时限', '/deadlines?status=running'],
    ['DEADLINE_READ', '已超期的时限', '/deadlines?status=breached'],
    ['TICKET_READ', '网络中断中的单位', '/outages/health?state=down'],
  ].filter(([perm]) => can(s, perm));
  if (!rows.length) return null;
  return (
    <section aria-labelledby="work">
      <h2 id="work">待办</h2>
      <ul class="counts">{rows.map(([, label, path]) => <WorkCount label={label} path={path} />)}</ul>
    </section>
  );
}

function WorkCount({ label, path }) {
  return <li>{label}：<CountLink href={path} n={useCount(path)} /></li>;
}

// Terminals out of compliance: the count by problem and the first ten (the server counts them
// all and lists ten).
function NonCompliant({ unitId }) {
  const unit = useUnitNames();
  const r = useLoad(`/terminals/compliance?limit=10${unitId ? `&unit_id=${unitId}` : ''}`);
  return (
    <section aria-labelledby="terms">
      <h2 id="terms">不合规终端</h2>
      <Loading state={r}>{(d) => (
        <>
          <p>共 {d.total} 台{d.truncated ? `，下列前 ${d.items.length} 台` : ''}{Object.keys(d.by_issue).length ? '：' : ''}
            {Object.entries(d.by_issue).map(([code, n], i) => {
              const msg = d.items.flatMap((t) => t.issues).find((x) => x.code === code)?.message || code;
              return <>{i ? '，' : ''}{msg.replace(/已 \d+ 天未更新.*$/, '未及时更新')} {n} 台</>;
            })}</p>
          <Table rows={d.items.map((t) => ({ ...t, id: t.terminal_id }))} empty="没有不合规的终端" caption="不合规终端" columns={[
            { label: 'MAC 地址', render: (t) => <Link href={`/terminals?mac=${encodeURIComponent(t.mac)}`}>{t.mac}</Link> },
            ...(unitId ? [] : [{ label: '单位', render: (t) => <Link href={`/units/${t.unit_id}`}>{unit(t.unit_id)}</Link> }]),
            { label: '问题', render: (t) => t.issues.map((x) => x.message).join('；') },
          ]} />
        </>
      )}</Loading>
    </section>
  );
}

// The probes by how the server judges them (state), and the silent ones by name: an eye on
// the wire gone dark is the first thing the manager should see.
function ProbeHealth() {
  const r = useLoad('/probes', true);
  return (
    <section aria-labelledby="probe-health">
      <h2 id="probe-health">探针运行状况</h2>
      <Loading state={r}>{(d) => {
        if (!d.items.length) return <p class="muted">还没有探针上报。<Link href="/tokens">为探针签发令牌</Link>后在监测点运行 zwnet probe。</p>;
        const by = {};
        for (const p of d.items) (by[p.state_code] ||= []).push(p);
        return (
          <>
            <ul class="counts">
              {Object.keys(PROBE_STATE).filter((k) => by[k]).map((k) => (
                <li><Badge kind={PROBE_STATE[k]}>{by[k][0].state}</Badge> <Link href="/probes">{by[k].length} 台</Link></li>
              ))}
            </ul>
            {by.silent ? <p class="error">失联：{by.silent.map((p) => `${p.name}（最近上报 ${time(p.last_seen)}）`).join('、')}</p> : null}
          </>
        );
      }}</Loading>
    </section>
  );
}

// Address use: the address pools fullest first, with the way to 地址规划; none yet says where
// to make them.
function AddressUse() {
  const r = useLoad('/prefixes?status=container&sort=-utilisation&limit=5');
  return (
    <section aria-labelledby="address-use">
      <h2 id="address-use">地址池使用率</h2>
      <Loading state={r}>{(d) => (d.items.length ? (
        <>
          <Table rows={d.items} caption="使用率最高的地址池" columns={[
            { label: '地址池', render: (p) => <Link href={`/search?q=${encodeURIComponent(p.cidr)}`}>{p.cidr}</Link> },
            { label: '说明', key: 'description' },
            { label: '使用率', render: (p) => `${p.utilisation.toFixed(1)}%` },
          ]} />
          <p><Link href="/ipam">地址规划</Link></p>
        </>
      ) : <p class="muted">尚未登记地址池：<Link href="/ipam">去地址规划登记</Link>，批准接入时才能分配地址。</p>)}</Loading>
    </section>
  );
}

function CenterHome() {
  const s = useSession();
  const missing = useLoad(can(s, 'AGREEMENT_READ') ? '/agreements/missing' : null);
  return (
    <>
      <h1>首页</h1>
      <ExpiryWarning />
      {['carrier', 'operator'].includes(s.role) && can(s, 'APPLICATION_IMPLEMENT') ? <WorkQueue /> : null}
      {['carrier', 'operator'].includes(s.role) && can(s, 'DEADLINE_READ') ? <ImplementationSla /> : null}
      <div class="grid">
        {can(s, 'UNIT_READ') ? <UnitCounts /> : null}
        <Work />
      </div>
      {s.role === 'manager' || s.role === 'operator' ? (
        <div class="grid">
          {can(s, 'FINDING_READ') ? <ProbeHealth /> : null}
          {can(s, 'IPAM_READ') ? <AddressUse /> : null}
        </div>
      ) : null}
      {can(s, 'DEADLINE_READ') ? <Waiting /> : null}
      <div class="grid">
        {missing.data ? <section aria-labelledby="missing">
          <h2 id="missing">协议未签或需补签的单位</h2>
          <Loading state={missing}>{(d) => (
            <Table rows={d.items.map((x) => ({ ...x, id: x.unit_id }))} empty="没有缺少协议的单位" columns={[
              { label: '单位', render: (x) => <Link href={`/units/${x.unit_id}`}>{x.name || x.unit_name}</Link> },
              { label: '缺少的协议', render: (x) => x.missing.map((m) => m.name).join('、') },
            ]} />
          )}</Loading>
        </section> : null}
        {can(s, 'TERMINAL_READ') ? <NonCompliant /> : null}
      </div>
    </>
  );
}

// A unit's obligations: its running deadlines (whatever they run for), its open cases with
// what it must do next, the agreements it has to sign, its terminals out of compliance.
function Obligations({ unitId }) {
  const rules = useDeadlineRules();
  const kinds = useKindLabels();
  const subjects = useValueNames('deadline').subject_type || {};
  const dls = useLoad(`/deadlines?unit_id=${unitId}&status=running&sort=due_at&limit=50`);
  const cases = useLoad(`/violations?unit_id=${unitId}&sort=-updated_at&limit=50`);
  const vnames = useValueNames('violation');
  const missing = useLoad('/agreements/missing');
  const mine = (missing.data?.items || []).filter((x) => x.unit_id === unitId);
  const openCases = (cases.data?.items || []).filter((v) => !['closed', 'dismissed', 'revoked', 'reconnected'].includes(v.state));
  return (
    <>
      <section aria-labelledby="dues">
        <h2 id="dues">本单位须按期办理的事项</h2>
        <Loading state={dls}>{(d) => (
          <Table rows={d.items} empty="没有进行中的时限" caption="本单位的时限" columns={[
            { label: '事项', render: (x) => `${valueName(subjects, x.subject_type)}：${valueName(rules, x.rule)}` },
            { label: '时限', render: (x) => <DeadlineBadge d={x} /> },
            { label: '截止', render: (x) => day(x.due_date || x.due_at) },
            { label: '办理', render: (x) => {
              // a deadline met by an application of the rule's kind (TB-6: 安全联系人变更备案)
              if (x.subject_type === 'unit' && kinds[x.rule]) return <Link class="button" href={`/applications/new?kind=${x.rule}&unit_id=${unitId}`}>提交{kinds[x.rule]}</Link>;
              const to = subjectPath(x.subject_type, x.subject_id);
              return to ? <Link class="button" href={to}>去办理</Link> : '';
            } },
          ]} />
        )}</Loading>
      </section>
      <section aria-labelledby="cases">
        <h2 id="cases">本单位未结的违规事项</h2>
        <Loading state={cases}>{() => (
          <Table rows={openCases} empty="没有未结的违规事项" caption="未结的违规事项" columns={[
            { label: '编号', render: (v) => <Link href={`/violations/${v.id}`}>{v.id}</Link> },
            { label: '违规行为', render: (v) => <>{v.behaviour_name}（<ClauseLink id={v.clause} />）</> },
            { label: '状态', render: (v) => valueName(vnames.state, v.state) },
            { label: '本单位须做', render: (v) => (['notified', 'isolated', 'rectifying'].includes(v.state) ? <Link href={`/violations/${v.id}`}>整改并报告整改情况</Link> : '等待中心处理') },
          ]} />
        )}</Loading>
      </section>
      {mine.length ? (
        <section aria-labelledby="sign">
          <h2 id="sign">须签订的协议</h2>
          <ul>{mine.flatMap((x) => x.missing).map((m) => <li>{m.name}{m.clause ? <>（<ClauseLink id={m.clause} />）</> : null}</li>)}</ul>
          <p><Link href={`/units/${unitId}`}>到本单位页面登记协议</Link></p>
        </section>
      ) : null}
      <NonCompliant unitId={unitId} />
    </>
  );
}

function UnitHome({ unitId }) {
  const kindLabels = useKindLabels();
  const unit = useLoad(`/units/${unitId}`);
  const apps = useLoad(`/applications?unit_id=${unitId}&limit=20&sort=-id`);
  const s = useSession();
  return (
    <>
      <h1>首页</h1>
      <ExpiryWarning />
      <Loading state={unit}>{(u) => (
        <section class="card" aria-labelledby="own">
          <h2 id="own"><Link href={`/units/${u.id}`}>{u.name}</Link></h2>
          <p>接入状态：<UnitStatus status={u.status} />{u.connected_on ? `，${day(u.connected_on)}接入` : ''}</p>
          {can(s, 'APPLICATION_SUBMIT', u.id) ? <p><Link class="button" href={`/applications/new?unit_id=${u.id}`}>提交申请</Link></p> : null}
        </section>
      )}</Loading>
      <Obligations unitId={unitId} />
      <Waiting unitId={unitId} />
      <section aria-labelledby="mine">
        <h2 id="mine">本单位的申请</h2>
        <Loading state={apps}>{(d) => (
          <Table rows={d.items} empty="暂无申请" columns={[
            { label: '编号', render: (a) => <Link href={`/applications/${a.id}`}>{a.id}</Link> },
            { label: '类型', render: (a) => kindLabels[a.kind] || a.kind },
            { label: '状态', render: (a) => <AppStatus status={a.status} /> },
          ]} />
        )}</Loading>
      </section>
    </>
  );
}

export function Home() {
  const s = useSession();
  if (s.role === 'unit_admin' && s.unit_id) return <UnitHome unitId={s.unit_id} />;
  return <CenterHome />;
}
