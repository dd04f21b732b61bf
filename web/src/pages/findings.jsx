// 监测发现: what the probes saw, and the steps the signed-in role may take on it.
import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { time } from '../format.js';
import { ListView } from '../list.jsx';
import { navigate, query } from '../router.js';
import { useValueNames, valueName } from '../schema.js';
import { Badge, ErrorBox, Field, Link, Loading, Table, can, useFilter, useLoad, useSession, useUnitNames } from '../ui.jsx';
import { History } from '../history.jsx';

// the badge's colour per status (the names are the server's)
const FINDING_KIND = { open: 'amber', violation: 'red', dismissed: 'grey', resolved: 'green' };

const statusBadge = (names, status) => <Badge kind={FINDING_KIND[status]}>{valueName(names, status)}</Badge>;

export function Findings({ path }) {
  const unit = useUnitNames();
  const statuses = useValueNames('finding').status || {};
  return (
    <>
      <h1>监测发现</h1>
      <ListView path={path} base="/findings" api="/findings" object="finding" caption="监测发现列表" defaultSort="-last_seen"
        filters={['status', 'kind']} defaults={{ status: 'open' }} empty="没有符合条件的发现"
        columns={[
          { key: 'id', label: '编号', render: (f) => <Link href={`/findings/${f.id}`}>{f.id}</Link> },
          { label: '发现', key: 'label' },
          { key: 'unit_id', render: (f) => unit(f.unit_id) },
          'mac', 'ip', 'count', 'last_seen',
          { key: 'status', render: (f) => statusBadge(statuses, f.status) },
        ]} />
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
  const [picked, setBehaviour] = useState(null);
  const [unitId, setUnitId] = useState(f.unit_id ? String(f.unit_id) : '');
  const [error, setError] = useState(null);
  if (f.status !== 'open') return null;
  // the county's forbidden behaviours by name; the finding's own is chosen when the county
  // forbids it, else the manager picks one
  const forbidden = prof.data?.forbidden || [];
  const behaviour = picked ?? (forbidden.some((x) => x.code === f.behaviour) ? f.behaviour : '');
  const go = async (e) => {
    e.preventDefault();
    setError(null);
    try {
      if (mode === 'dismiss') {
        await post(`/findings/${f.id}/transitions`, { action: 'dismiss', reason });
        onDone();
      } else {
        // the server takes the rest (MAC, IP, terminal, the evidence) from the finding
        const body = { finding_id: f.id };
        if (unitId) body.unit_id = Number(unitId);
        if (behaviour) body.behaviour = behaviour;
        if (reason.trim()) body.detail = reason;
        const v = await post('/violations', body);
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
                  {behaviour ? null : <option value="">请选择</option>}
                  {forbidden.map((x) => <option value={x.code}>{x.name}</option>)}
                </select>
              )}</Field>
            </>
          ) : null}
          <Field label={mode === 'dismiss' ? '排除理由' : '情况说明'} name={mode === 'dismiss' ? 'reason' : 'detail'} error={error} required={mode === 'dismiss'}
            hint={mode === 'dismiss' ? undefined : '不填则取监测发现的情况和证据'}>{(p) => (
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
          {x.terminal_id ? <><dt>登记终端</dt><dd>编号 {x.terminal_id}</dd></> : null}
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
        <History type="finding" id={x.id} />
      </>
    )}</Loading>
  );
}
