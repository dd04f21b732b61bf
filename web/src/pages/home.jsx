// 首页: for the center, the state of the whole network and what is waiting; for a unit's
// administrator, their own unit only.
import { useEffect, useRef } from 'preact/hooks';
import { day } from '../format.js';
import { useKindLabels, valueName } from '../schema.js';
import { AppStatus, DeadlineBadge, Link, Loading, Table, UnitStatus, can, useDeadlineRules, useLoad, useSession, useUnitStatuses } from '../ui.jsx';

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
  return (
    <section aria-labelledby="waiting">
      <h2 id="waiting">待办申请与时限</h2>
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
// implemented, with the implementation deadline.
function WorkQueue() {
  const kindLabels = useKindLabels();
  const apps = useLoad('/applications?status=' + encodeURIComponent('实施中'), true);
  const dls = useLoad('/deadlines?subject_type=application&sort=due_at', true);
  const due = (id) => (dls.data?.items || []).find((d) => d.subject_id === id && d.rule.endsWith('_implement'));
  return (
    <section aria-labelledby="queue">
      <h2 id="queue">待实施的申请</h2>
      <Loading state={apps}>{(d) => (
        <Table rows={d.items} empty="没有待实施的申请" columns={[
          { label: '申请', render: (a) => <Link href={`/applications/${a.id}`}>{kindLabels[a.kind]} {a.id}</Link> },
          { label: '地址', key: 'address' },
          { label: '实施时限', render: (a) => <DeadlineBadge d={due(a.id)} /> },
        ]} />
      )}</Loading>
    </section>
  );
}

function CenterHome() {
  const s = useSession();
  const units = useLoad(can(s, 'UNIT_READ') ? '/units' : null, true);
  const missing = useLoad(can(s, 'AGREEMENT_READ') ? '/agreements/missing' : null);
  const terminals = useLoad(can(s, 'TERMINAL_READ') ? '/terminals/compliance' : null);
  const statuses = useUnitStatuses();
  return (
    <>
      <h1>首页</h1>
      <ExpiryWarning />
      {['carrier', 'operator'].includes(s.role) && can(s, 'APPLICATION_IMPLEMENT') ? <WorkQueue /> : null}
      <div class="grid">
        {units.data || units.loading ? <section aria-labelledby="by-status">
          <h2 id="by-status">单位接入状态</h2>
          <Loading state={units}>{(d) => {
            const counts = {};
            d.items.forEach((u) => { counts[u.status] = (counts[u.status] || 0) + 1; });
            return (
              <>
                <UnitsChart counts={counts} />
                <ul class="counts">
                  {statuses.map((s) => <li><UnitStatus status={s} /> <Link href={`/units?status=${encodeURIComponent(s)}`}>{counts[s] || 0} 家</Link></li>)}
                </ul>
              </>
            );
          }}</Loading>
        </section> : null}
        {can(s, 'DEADLINE_READ') ? <Waiting /> : null}
      </div>
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
        {terminals.data ? <section aria-labelledby="terms">
          <h2 id="terms">不合规终端</h2>
          <Loading state={terminals}>{(d) => (
            <Table rows={d.items} empty="没有不合规的终端" columns={[
              { label: 'MAC', key: 'mac' },
              { label: '单位', render: (t) => <Link href={`/units/${t.unit_id}`}>{t.unit_name || t.unit_id}</Link> },
              { label: '问题', render: (t) => (t.problems || []).map((p) => p.message || p).join('；') },
            ]} />
          )}</Loading>
        </section> : null}
      </div>
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
