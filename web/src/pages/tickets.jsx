// 故障工单: faults reported 7×24, routed by where they are (TB-11), on the carrier's clocks by the
// site's class (TB-12). The list shows each ticket's repair clock; a carrier's staff see their
// carrier's tickets only (the server's scope), which makes this page their queue.
import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { time } from '../format.js';
import { RecordForm } from '../form.jsx';
import { ListView } from '../list.jsx';
import { useValueNames, valueName } from '../schema.js';
import { Badge, ClauseLink, Confirm, DeadlineBadge, confirmText, ErrorBox, Field, Link, Loading, Table, can, useLoad, useSession, useUnitNames } from '../ui.jsx';
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
  const thisMonth = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7);
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

// One step: the button, and what it asks for (a carrier, a class, a pause reason, a reason).
function Step({ t, a, profile, carriers, onDone }) {
  const { action, label } = a;
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [carrier, setCarrier] = useState('');
  const [cls, setCls] = useState('');
  const [pause, setPause] = useState('');
  const [error, setError] = useState(null);
  const asksCarrier = action === 'reassign' || (action === 'dispatch' && !t.line_id);
  const offersCarrier = action === 'dispatch' || action === 'reassign';
  const asks = a.reason || offersCarrier || action === 'reclassify' || action === 'pause';
  const send = async (e) => {
    e?.preventDefault();
    setError(null);
    const body = { action, if_rev: t.rev };
    if (reason) body.reason = reason;
    if (carrier) body.carrier_id = Number(carrier);
    if (cls) body.site_class = cls;
    if (pause) body.pause_reason = pause;
    try {
      await post(`/tickets/${t.id}/transitions`, body);
      setOpen(false);
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  if (a.confirm && !asks && open) {
    return <Confirm label={label} what={confirmText(label, '故障工单', a.to_label)} error={error} onConfirm={send} onCancel={() => { setOpen(false); setError(null); }} />;
  }
  if (!open) return <button type="button" onClick={() => (asks || a.confirm ? setOpen(true) : send())}>{label}</button>;
  return (
    <form class="card" onSubmit={send} noValidate aria-label={label}>
      {offersCarrier ? (
        <Field label="承修运营商" name="carrier_id" error={error} required={asksCarrier}
          hint={action === 'dispatch' && t.line_id ? '不选则派给故障线路的运营商' : null}>{(p) => (
          <select {...p} value={carrier} onChange={(e) => setCarrier(e.currentTarget.value)}>
            <option value="">{asksCarrier ? '请选择' : '故障线路的运营商'}</option>
            {(carriers || []).map((c) => <option value={c.id}>{c.name}</option>)}
          </select>
        )}</Field>
      ) : null}
      {action === 'reclassify' ? (
        <Field label="故障类别" name="site_class" error={error} required hint="修复时限自报修时起按新类别重算">{(p) => (
          <select {...p} value={cls} onChange={(e) => setCls(e.currentTarget.value)}>
            <option value="">请选择</option>
            {(profile?.slas || []).filter((c) => c.key !== t.site_class).map((c) => <option value={c.key}>{c.name}（修复 {c.repair_hours} 小时）</option>)}
          </select>
        )}</Field>
      ) : null}
      {action === 'pause' ? (
        <Field label="暂停事由" name="pause_reason" error={error} required hint="只能因本县办法允许的事由暂停修复计时">{(p) => (
          <select {...p} value={pause} onChange={(e) => setPause(e.currentTarget.value)}>
            <option value="">请选择</option>
            {(profile?.fault_pauses || []).map((r) => <option value={r.key}>{r.name}</option>)}
          </select>
        )}</Field>
      ) : null}
      <Field label={action === 'resolve' ? '故障原因及处理情况' : '理由'} name="reason" error={error} required={a.reason}>{(p) => (
        <textarea {...p} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      )}</Field>
      {error && !['reason', 'carrier_id', 'site_class', 'pause_reason'].includes(error.field) ? <ErrorBox error={error} /> : null}
      <button type="submit">确认{label}</button> <button type="button" onClick={() => setOpen(false)}>取消</button>
    </form>
  );
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
        {x.actions.length ? (
          <div class="toolbar" role="group" aria-label="可执行的操作">
            {x.actions.map((a) => <Step key={`${x.rev}-${a.action}`} t={x} a={a} profile={profile.data} carriers={carriers.data?.items} onDone={t.reload} />)}
          </div>
        ) : null}
        <CaseEvents events={x.events} names={names} caption="处理经过" />
        <History type="ticket" id={x.id} />
      </>
    )}</Loading>
  );
}
