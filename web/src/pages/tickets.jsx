// 故障工单: faults reported 7×24, routed by where they are (TB-11), on the carrier's clocks by the
// site's class (TB-12). The list shows each ticket's repair clock; a carrier's staff see their
// carrier's tickets only (the server's scope), which makes this page their queue.
import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { time, today } from '../format.js';
import { RecordForm } from '../form.jsx';
import { ListView } from '../list.jsx';
import { useValueNames, valueName } from '../schema.js';
import { Badge, ClauseLink, DeadlineBadge, Link, Loading, Table, can, useLoad, useSession, useUnitNames } from '../ui.jsx';
import { CaseStep, CaseSteps, choice } from '../steps.jsx';
import { CaseEvents, History } from '../history.jsx';
import { navigate } from '../router.js';

const STATE_KIND = { reported: 'amber', dispatched: 'blue', repairing: 'blue', paused: 'amber', resolved: 'green', closed: 'grey', cancelled: 'grey', self: 'blue', assisting: 'amber' };
const stateBadge = (names, state) => <Badge kind={STATE_KIND[state]}>{valueName(names.state, state)}</Badge>;
const clockOf = (t, kind) => (t.clocks || []).find((c) => c.rule.startsWith(`${kind}:`));

export function Tickets({ path }) {
  const s = useSession();
  const unit = useUnitNames();
  const names = useValueNames('ticket');
  const units = useLoad(can(s, 'TICKET_REPORT') && s.role !== 'unit_admin' ? '/units?status=已接入' : null, true);
  const carriers = useLoad('/carriers', true);
  const [adding, setAdding] = useState(false);
  const carrier = (id) => carriers.data?.items.find((c) => c.id === id)?.name || '';
  return (
    <>
      <h1>故障工单</h1>
      {s.role === 'carrier' && !s.carrier_id ? <p class="warning" role="status">您的账号尚未绑定所属运营商，看不到任何工单；请网络管理单位在用户管理中绑定。</p> : null}
      {adding ? (
        <RecordForm object="ticket" title="报修" submitLabel="报修" focus
          names={['unit_id', 'location', 'summary', 'detail', 'reporter', 'reporter_phone', ...(s.role === 'unit_admin' ? [] : ['channel'])]}
          initial={s.role === 'unit_admin' ? { unit_id: s.unit_id, location: 'backbone' } : { location: 'backbone', channel: 'phone' }}
          options={{
            unit_id: (units.data?.items || []).map((u) => ({ value: u.id, label: u.name })),
            channel: [{ value: 'console', label: '网上报修' }, { value: 'phone', label: '电话报修' }],
          }}
          hints={{ location: '骨干网络或线路故障由管理单位派单给线路的运营商处理；本单位局域网故障由单位自行解决，必要时可商请协助', reporter: '不填则为当前登录人' }}
          onCancel={() => setAdding(false)}
          onSubmit={async (b) => { const t = await post('/tickets', b); setAdding(false); navigate(`/tickets/${t.id}`); }} />
      ) : null}
      {s.role !== 'unit_admin' ? <SlaReport /> : null}
      <ListView path={path} base="/tickets" api="/tickets" object="ticket" caption="故障工单列表" defaultSort="-reported_at"
        filters={['state', 'location', 'site_class']} empty="没有符合条件的故障工单" searchLabel="按故障现象查找"
        toolbar={can(s, 'TICKET_REPORT') && !adding ? <button type="button" class="primary" onClick={() => setAdding(true)}>报修</button> : null}
        columns={[
          { key: 'id', label: '编号', render: (t) => <Link href={`/tickets/${t.id}`}>{t.id}</Link> },
          { key: 'unit_id', render: (t) => unit(t.unit_id) },
          { key: 'summary' },
          { key: 'location', render: (t) => valueName(names.location, t.location) },
          { key: 'site_class', render: (t) => t.site_class_name || '—' },
          { key: 'carrier_id', render: (t) => carrier(t.carrier_id) || '—' },
          { key: 'state', render: (t) => stateBadge(names, t.state) },
          { label: '修复时限', render: (t) => <DeadlineBadge d={clockOf(t, 'repair')} /> },
          { key: 'reported_at', render: (t) => time(t.reported_at) },
        ]} />
    </>
  );
}

// 履约情况: the month's clocks per carrier and class (GET /tickets/sla), for those who oversee
// the carriers and for the carrier itself (its own rows).
const minutes = (m) => (m == null ? '—' : m < 60 ? `${m} 分钟` : `${Math.floor(m / 60)} 小时 ${m % 60} 分`);
function SlaReport() {
  const thisMonth = today().slice(0, 7);
  const [month, setMonth] = useState(thisMonth);
  const r = useLoad(`/tickets/sla?month=${month}`);
  const clock = (c, hours) => (c.clocks ? `${c.met} 完成，${c.breached} 超时，${c.running} 计时中；中位 ${minutes(c.median_minutes)}，最长 ${minutes(c.worst_minutes)}${hours ? `（时限 ${hours} 小时）` : ''}` : '—');
  return (
    <section aria-label="履约情况" class="card">
      <h2>履约情况</h2>
      <label>月份 <input type="month" value={month} onInput={(e) => e.currentTarget.value && setMonth(e.currentTarget.value)} /></label>
      <Loading state={r}>{(d) => (
        <Table caption={`${d.month} 报修的骨干网络故障`} rows={d.rows} empty="该月没有骨干网络故障" columns={[
          { label: '运营商', key: 'carrier_name' },
          { label: '故障类别', render: (x) => <>{x.site_class_name}{x.clause ? <>（<ClauseLink id={x.clause.split(/[ ,，]+/)[0]} />）</> : null}</> },
          { label: '工单', key: 'tickets' },
          { label: '响应', render: (x) => clock(x.respond, x.respond_hours) },
          { label: '修复', render: (x) => clock(x.repair, x.repair_hours) },
        ]} />
      )}</Loading>
    </section>
  );
}

// What a step asks for besides the reason: a carrier, a class, a pause reason.
function stepFields(t, action, profile, carriers) {
  const fs = [];
  if (action === 'dispatch' || action === 'reassign') {
    const asks = action === 'reassign' || !t.line_id;
    fs.push({ name: 'carrier_id', label: '承修运营商', required: asks, number: true, hint: asks ? null : '不选则派给故障线路的运营商',
      control: choice((carriers || []).map((c) => [c.id, c.name]), asks ? '请选择' : '故障线路的运营商') });
  }
  if (action === 'reclassify') {
    fs.push({ name: 'site_class', label: '故障类别', required: true, hint: '修复时限自报修时起按新类别重算',
      control: choice((profile?.slas || []).filter((c) => c.key !== t.site_class).map((c) => [c.key, `${c.name}（修复 ${c.repair_hours} 小时）`])) });
  }
  if (action === 'pause') {
    fs.push({ name: 'pause_reason', label: '暂停事由', required: true, hint: '只能因本县办法允许的事由暂停修复计时',
      control: choice((profile?.fault_pauses || []).map((r) => [r.key, r.name])) });
  }
  return fs;
}

export function TicketDetail({ id }) {
  const t = useLoad(`/tickets/${id}`);
  const unit = useUnitNames();
  const names = useValueNames('ticket');
  const profile = useLoad('/profile');
  const carriers = useLoad('/carriers', true);
  const carrier = (cid) => carriers.data?.items.find((c) => c.id === cid);
  const pauses = Object.fromEntries((profile.data?.fault_pauses || []).map((r) => [r.key, r.name]));
  return (
    <Loading state={t}>{(x) => (
      <>
        <h1>故障工单 {x.id}：{x.summary}</h1>
        <dl class="facts">
          <dt>状态</dt><dd>{stateBadge(names, x.state)}{x.pause_reason ? `（${pauses[x.pause_reason] || x.pause_reason}）` : ''}</dd>
          <dt>报修单位</dt><dd><Link href={`/units/${x.unit_id}`}>{unit(x.unit_id)}</Link></dd>
          <dt>故障位置</dt><dd>{valueName(names.location, x.location)}</dd>
          <dt>故障类别</dt><dd>{x.site_class_name || '—'}</dd>
          <dt>依据条款</dt><dd>{x.clause ? <ClauseLink id={x.clause} /> : '—'}</dd>
          <dt>报修</dt><dd>{time(x.reported_at)}，{valueName(names.channel, x.channel)}，{x.reporter}{x.reporter_phone ? `（${x.reporter_phone}）` : ''}</dd>
          <dt>承修运营商</dt><dd>{x.carrier_id ? <>{carrier(x.carrier_id)?.name || x.carrier_id}{carrier(x.carrier_id)?.service_phone ? `，故障申告电话 ${carrier(x.carrier_id).service_phone}` : ''}</> : '未派单'}</dd>
          {x.detail ? <><dt>故障描述</dt><dd>{x.detail}</dd></> : null}
          {x.cause ? <><dt>故障原因及处理</dt><dd>{x.cause}</dd></> : null}
          {x.clocks.length ? <><dt>时限</dt><dd>{x.clocks.map((c) => <div>{c.rule.startsWith('respond:') ? '响应' : '修复'}：<DeadlineBadge d={c} /></div>)}</dd></> : null}
        </dl>
        <p>故障工单：<a href={`/api/v1/tickets/${x.id}/paper`}>打印</a>{' '}
          <a href={`/api/v1/tickets/${x.id}/paper?format=pdf`}>PDF</a></p>
        <CaseSteps x={x}>{(a) => {
          const fields = stepFields(x, a.action, profile.data, carriers.data?.items);
          return <CaseStep key={`${x.rev}-${a.action}`} url={`/tickets/${x.id}/transitions`} rec={x} a={a} what="故障工单" fields={fields}
            reason={a.action === 'resolve' ? '故障原因及处理情况' : a.reason || fields.length ? '理由' : null} onDone={t.reload} />;
        }}</CaseSteps>
        <CaseEvents events={x.events} names={names} caption="处理经过" />
        <History type="ticket" id={x.id} />
      </>
    )}</Loading>
  );
}
