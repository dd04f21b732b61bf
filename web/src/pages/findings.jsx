// 监测发现: what the probes saw, and the steps the signed-in role may take on it.
import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { time } from '../format.js';
import { navigate, query } from '../router.js';
import { useValueNames, valueName } from '../schema.js';
import { Badge, ErrorBox, Field, Link, Loading, Table, can, useFilter, useLoad, useSession, useUnitNames } from '../ui.jsx';

// the badge's colour per status (the names are the server's)
const FINDING_KIND = { open: 'amber', violation: 'red', dismissed: 'grey', resolved: 'green' };

const statusBadge = (names, status) => <Badge kind={FINDING_KIND[status]}>{valueName(names, status)}</Badge>;

export function Findings({ path }) {
  const status = query(path, 'status') ?? 'open';
  const filter = useFilter(path, '/findings');
  const qs = new URLSearchParams({ limit: '200', sort: '-last_seen' });
  if (status) qs.set('status', status);
  const list = useLoad('/findings?' + qs);
  const unit = useUnitNames();
  const statuses = useValueNames('finding').status || {};
  return (
    <>
      <h1>监测发现</h1>
      <div class="toolbar">
        <Field label="状态" name="status">{(p) => (
          <select {...p} value={status} onChange={(e) => filter('status', e.currentTarget.value)}>
            <option value="">全部</option>
            {Object.entries(statuses).map(([k, v]) => <option value={k}>{v}</option>)}
          </select>
        )}</Field>
      </div>
      <Loading state={list}>{(d) => (
        <Table rows={d.items} empty="没有这种状态的发现" columns={[
          { label: '编号', render: (f) => <Link href={`/findings/${f.id}`}>{f.id}</Link> },
          { label: '发现', key: 'label' },
          { label: '单位', render: (f) => unit(f.unit_id) },
          { label: 'MAC 地址', render: (f) => f.mac || '' },
          { label: 'IP 地址', render: (f) => f.ip || '' },
          { label: '次数', key: 'count' },
          { label: '最近发现', render: (f) => time(f.last_seen) },
          { label: '状态', render: (f) => statusBadge(statuses, f.status) },
        ]} />
      )}</Loading>
    </>
  );
}

// A finding no case was opened for: dismiss it, or open a case citing a forbidden behaviour.
function FindingActions({ f, onDone }) {
  const s = useSession();
  const prof = useLoad('/profile');
  const units = useLoad('/units', true);
  const [mode, setMode] = useState(null);
  const [reason, setReason] = useState('');
  const [behaviour, setBehaviour] = useState(f.behaviour);
  const [unitId, setUnitId] = useState(f.unit_id ? String(f.unit_id) : '');
  const [error, setError] = useState(null);
  if (f.status !== 'open') return null;
  const go = async (e) => {
    e.preventDefault();
    setError(null);
    try {
      if (mode === 'dismiss') {
        await post(`/findings/${f.id}/transitions`, { action: 'dismiss', reason });
        onDone();
      } else {
        const v = await post('/violations', { unit_id: Number(unitId) || 0, behaviour, finding_id: f.id, detail: reason || f.detail });
        navigate(`/violations/${v.id}`);
      }
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div class="card">
      <div class="toolbar">
        {can(s, 'VIOLATION_WRITE') ? <button type="button" onClick={() => setMode('open')}>立案处理</button> : null}
        {can(s, 'FINDING_WRITE') ? <button type="button" onClick={() => setMode('dismiss')}>排除</button> : null}
      </div>
      {mode ? (
        <form onSubmit={go} noValidate>
          {mode === 'open' ? (
            <>
              <Field label="违规单位" name="unit_id" error={error} required>{(p) => (
                <select {...p} value={unitId} onChange={(e) => setUnitId(e.currentTarget.value)}>
                  <option value="">请选择</option>
                  {(units.data?.items || []).map((u) => <option value={u.id}>{u.name}</option>)}
                </select>
              )}</Field>
              <Field label="违规行为（本县办法的禁止行为）" name="behaviour" error={error} required>{(p) => (
                <select {...p} value={behaviour} onChange={(e) => setBehaviour(e.currentTarget.value)}>
                  {(prof.data?.forbidden || []).map((x) => <option value={x.code}>{x.name}</option>)}
                </select>
              )}</Field>
            </>
          ) : null}
          <Field label={mode === 'dismiss' ? '排除理由' : '情况说明'} name={mode === 'dismiss' ? 'reason' : 'detail'} error={error} required={mode === 'dismiss'}>{(p) => (
            <textarea {...p} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          )}</Field>
          {error && !['reason', 'detail', 'unit_id', 'behaviour'].includes(error.field) ? <ErrorBox error={error} /> : null}
          <button type="submit">{mode === 'dismiss' ? '确认排除' : '确认立案'}</button>{' '}
          <button type="button" onClick={() => setMode(null)}>取消</button>
        </form>
      ) : null}
    </div>
  );
}

export function FindingDetail({ id }) {
  const f = useLoad(`/findings/${id}`);
  const unit = useUnitNames();
  const statuses = useValueNames('finding').status;
  return (
    <Loading state={f}>{(x) => (
      <>
        <h1>监测发现 {x.id}：{x.label}</h1>
        <dl class="facts">
          <dt>状态</dt><dd>{statusBadge(statuses, x.status)}
            {x.violation_id ? <> <Link href={`/violations/${x.violation_id}`}>违规事项 {x.violation_id}</Link></> : null}</dd>
          <dt>单位</dt><dd>{unit(x.unit_id)}</dd>
          <dt>MAC / IP</dt><dd>{x.mac || '—'} / {x.ip || '—'}</dd>
          <dt>情况</dt><dd>{x.detail}</dd>
          <dt>首次 / 最近发现</dt><dd>{time(x.first_seen)} / {time(x.last_seen)}（共 {x.count} 次）</dd>
        </dl>
        <FindingActions f={x} onDone={f.reload} />
        <Table caption="证据（最近的观测）" rows={x.evidence.map((e, i) => ({ ...e, id: i }))} columns={[
          { label: '时间', render: (e) => time(e.at) },
          { label: '探针', key: 'probe' },
          { label: '观测', render: (e) => [e.observation.kind, e.observation.op].filter(Boolean).join(' ') },
          { label: '位置', render: (e) => [e.observation.device_id ? `设备 ${e.observation.device_id}` : '', e.observation.iface || '', e.observation.vlan ? `VLAN ${e.observation.vlan}` : ''].filter(Boolean).join(' ') },
          { label: '说明', key: 'detail' },
        ]} />
      </>
    )}</Loading>
  );
}
