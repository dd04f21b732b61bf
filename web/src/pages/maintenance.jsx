// 停机维护: a carrier's planned interruptions (TB-12), filed at least the profile's hours ahead,
// agreed by the manager before they start; the units on their lines hear of the agreed ones.
import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { time } from '../format.js';
import { ListView } from '../list.jsx';
import { useValueNames, valueName } from '../schema.js';
import { Badge, ClauseLink, Clauses, ErrorBox, Field, Link, Loading, Table, can, useLoad, useSession } from '../ui.jsx';
import { CaseStep, CaseSteps } from '../steps.jsx';
import { CaseEvents, History } from '../history.jsx';
import { navigate } from '../router.js';

const STATE_KIND = { filed: 'amber', approved: 'green', rejected: 'red', cancelled: 'grey', done: 'grey' };
const stateBadge = (names, state) => <Badge kind={STATE_KIND[state]}>{valueName(names.state, state)}</Badge>;
// a datetime-local control's value (the browser's local time) as the API's instant
const instant = (local) => (local ? new Date(local).toISOString().replace(/\.\d+Z$/, 'Z') : '');

function FileForm({ onCancel }) {
  const s = useSession();
  const profile = useLoad('/profile');
  const carriers = useLoad(s.role === 'carrier' ? null : '/carriers', true);
  const units = useLoad('/units?status=已接入', true);
  const [v, setV] = useState({ starts: '', ends: '', reason: '', detail: '', carrier: '', units: [] });
  const [error, setError] = useState(null);
  const set = (k) => (e) => setV({ ...v, [k]: e.currentTarget.value });
  const hours = profile.data?.maintenance?.notice_hours;
  const send = async (e) => {
    e.preventDefault();
    setError(null);
    const body = { starts_at: instant(v.starts), ends_at: instant(v.ends), reason: v.reason, unit_ids: v.units.map(Number) };
    if (v.detail) body.detail = v.detail;
    if (v.carrier) body.carrier_id = Number(v.carrier);
    try {
      const m = await post('/maintenance', body);
      navigate(`/maintenance/${m.id}`);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="card" onSubmit={send} noValidate aria-label="报备停机维护">
      <h2>报备停机维护</h2>
      {hours ? <p class="hint">依据 <Clauses list={profile.data.maintenance.clauses} />，须至少提前 {hours} 小时报备{profile.data.maintenance.approval_required ? '，经网络管理单位同意后方可实施' : ''}。</p> : null}
      {s.role !== 'carrier' ? (
        <Field label="运营商" name="carrier_id" error={error} required>{(p) => (
          <select {...p} value={v.carrier} onChange={set('carrier')}>
            <option value="">请选择</option>
            {(carriers.data?.items || []).map((c) => <option value={c.id}>{c.name}</option>)}
          </select>
        )}</Field>
      ) : null}
      <Field label="中断开始时间" name="starts_at" error={error} required>{(p) => <input {...p} type="datetime-local" value={v.starts} onInput={set('starts')} />}</Field>
      <Field label="中断结束时间" name="ends_at" error={error} required>{(p) => <input {...p} type="datetime-local" value={v.ends} onInput={set('ends')} />}</Field>
      <Field label="运维作业内容" name="reason" error={error} required>{(p) => <input {...p} value={v.reason} onInput={set('reason')} />}</Field>
      <Field label="影响说明" name="detail" error={error}>{(p) => <textarea {...p} value={v.detail} onInput={set('detail')} />}</Field>
      <Field label="受影响的单位" name="unit_ids" error={error} required hint="取该运营商为这些单位维护的在用线路；按住 Ctrl 可选多个">{(p) => (
        <select {...p} multiple size={8} onChange={(e) => setV({ ...v, units: [...e.currentTarget.selectedOptions].map((o) => o.value) })}>
          {(units.data?.items || []).map((u) => <option value={u.id} selected={v.units.includes(String(u.id))}>{u.name}</option>)}
        </select>
      )}</Field>
      {error && !['carrier_id', 'starts_at', 'ends_at', 'reason', 'detail', 'unit_ids'].includes(error.field) ? <ErrorBox error={error} /> : null}
      <button type="submit" class="primary">报备</button> <button type="button" onClick={onCancel}>取消</button>
    </form>
  );
}

export function MaintenanceList({ path }) {
  const s = useSession();
  const names = useValueNames('maintenance');
  const carriers = useLoad('/carriers', true);
  const carrier = (id) => carriers.data?.items.find((c) => c.id === id)?.name || '';
  const [adding, setAdding] = useState(false);
  return (
    <>
      <h1>停机维护</h1>
      {adding ? <FileForm onCancel={() => setAdding(false)} /> : null}
      <ListView path={path} base="/maintenance" api="/maintenance" object="maintenance" caption="停机维护通知列表" defaultSort="-starts_at"
        filters={['state']} empty="没有停机维护通知"
        toolbar={can(s, 'MAINTENANCE_FILE') && !adding ? <button type="button" class="primary" onClick={() => setAdding(true)}>报备停机维护</button> : null}
        columns={[
          { key: 'id', label: '编号', render: (m) => <Link href={`/maintenance/${m.id}`}>{m.id}</Link> },
          { key: 'carrier_id', render: (m) => carrier(m.carrier_id) },
          { key: 'starts_at', render: (m) => time(m.starts_at) },
          { key: 'ends_at', render: (m) => time(m.ends_at) },
          { key: 'reason' },
          { label: '线路', render: (m) => m.lines.map((l) => l.unit_name || l.circuit_id).join('、') },
          { key: 'state', render: (m) => stateBadge(names, m.state) },
        ]} />
    </>
  );
}

export function MaintenanceDetail({ id }) {
  const m = useLoad(`/maintenance/${id}`);
  const names = useValueNames('maintenance');
  const carriers = useLoad('/carriers', true);
  return (
    <Loading state={m}>{(x) => (
      <>
        <h1>停机维护通知 {x.id}：{x.reason}</h1>
        <dl class="facts">
          <dt>状态</dt><dd>{stateBadge(names, x.state)}</dd>
          <dt>运营商</dt><dd>{carriers.data?.items.find((c) => c.id === x.carrier_id)?.name || x.carrier_id}</dd>
          <dt>中断时间</dt><dd>{time(x.starts_at)} 至 {time(x.ends_at)}</dd>
          <dt>提前报备</dt><dd>{Math.floor(x.lead_minutes / 60)} 小时 {x.lead_minutes % 60} 分（依据 {x.clause ? <ClauseLink id={x.clause} /> : '—'}）</dd>
          {x.detail ? <><dt>影响说明</dt><dd>{x.detail}</dd></> : null}
        </dl>
        <CaseSteps x={x}>{(a) => (
          <CaseStep key={`${x.rev}-${a.action}`} url={`/maintenance/${x.id}/transitions`} rec={x} a={a} what="停机维护通知" onDone={m.reload} />
        )}</CaseSteps>
        <Table caption="中断的线路" rows={x.lines} columns={[
          { label: '线路编号', key: 'circuit_id' },
          { label: '使用单位', render: (l) => (l.unit_id ? <Link href={`/units/${l.unit_id}`}>{l.unit_name}</Link> : '') },
        ]} />
        <CaseEvents events={x.events} names={names} />
        <History type="maintenance" id={x.id} />
      </>
    )}</Loading>
  );
}
