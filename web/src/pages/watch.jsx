// 监测发现, 违规处理, 探针与断网: what the probes saw, the cases it became under the county's
// regulation with the steps the signed-in role may take now, and the state of the wire.
import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { time } from '../format.js';
import { navigate, query } from '../router.js';
import { Badge, ClauseLink, DeadlineBadge, ErrorBox, Field, Link, Loading, Table, can, useLoad, useSession } from '../ui.jsx';

const FINDING_STATUS = { open: '待处理', violation: '已立案', dismissed: '已排除', resolved: '已结案' };
const FINDING_KIND = { open: 'amber', violation: 'red', dismissed: 'grey', resolved: 'green' };
export const STATES = {
  open: '待处理', notified: '已通知', isolated: '已断网', rectifying: '整改中', verified: '已核实整改',
  reconnected: '已恢复接入', closed: '已结案', revoked: '已取消入网资格', dismissed: '已排除',
};
const STATE_KIND = { open: 'amber', notified: 'blue', isolated: 'red', rectifying: 'amber', verified: 'blue', reconnected: 'green', closed: 'grey', revoked: 'red', dismissed: 'grey' };
const LEVELS = { warning: '提醒', terminal: '终端', unit: '单位' };
function useUnitNames() {
  const units = useLoad('/units', true);
  return (id) => (id ? units.data?.items.find((u) => u.id === id)?.name || `单位 ${id}` : '（未知单位）');
}

// A list filter kept in the address, so a view can be linked and reloaded.
function useFilter(path, base) {
  return (k, v) => {
    const q = new URLSearchParams(path.split('?')[1] || '');
    if (v) q.set(k, v); else q.delete(k);
    navigate(base + (q.toString() ? '?' + q : ''), true);
  };
}

export function Findings({ path }) {
  const status = query(path, 'status') ?? 'open';
  const filter = useFilter(path, '/findings');
  const qs = new URLSearchParams({ limit: '200', sort: '-last_seen' });
  if (status) qs.set('status', status);
  const list = useLoad('/findings?' + qs);
  const unit = useUnitNames();
  return (
    <>
      <h1>监测发现</h1>
      <div class="toolbar">
        <Field label="状态" name="status">{(p) => (
          <select {...p} value={status} onChange={(e) => filter('status', e.currentTarget.value)}>
            <option value="">全部</option>
            {Object.entries(FINDING_STATUS).map(([k, v]) => <option value={k}>{v}</option>)}
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
          { label: '状态', render: (f) => <Badge kind={FINDING_KIND[f.status]}>{FINDING_STATUS[f.status]}</Badge> },
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
  return (
    <Loading state={f}>{(x) => (
      <>
        <h1>监测发现 {x.id}：{x.label}</h1>
        <dl class="facts">
          <dt>状态</dt><dd><Badge kind={FINDING_KIND[x.status]}>{FINDING_STATUS[x.status]}</Badge>
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

export function Violations({ path }) {
  const state = query(path, 'state') || '';
  const filter = useFilter(path, '/violations');
  const qs = new URLSearchParams({ limit: '200', sort: '-updated_at' });
  if (state) qs.set('state', state);
  const list = useLoad('/violations?' + qs);
  const unit = useUnitNames();
  return (
    <>
      <h1>违规处理</h1>
      <div class="toolbar">
        <Field label="状态" name="state">{(p) => (
          <select {...p} value={state} onChange={(e) => filter('state', e.currentTarget.value)}>
            <option value="">全部</option>
            {Object.entries(STATES).map(([k, v]) => <option value={k}>{v}</option>)}
          </select>
        )}</Field>
      </div>
      <Loading state={list}>{(d) => (
        <Table rows={d.items} empty="没有这种状态的违规事项" columns={[
          { label: '编号', render: (v) => <Link href={`/violations/${v.id}`}>{v.id}</Link> },
          { label: '单位', render: (v) => unit(v.unit_id) },
          { label: '违规行为', render: (v) => <>{v.behaviour_name}（<ClauseLink id={v.clause} />）</> },
          { label: '次数', render: (v) => `第 ${v.offence} 次` },
          { label: '处理措施', render: (v) => (v.sanction_name ? <>{v.sanction_name}（<ClauseLink id={v.sanction_clause} />）</> : '提醒') },
          { label: '状态', render: (v) => <Badge kind={STATE_KIND[v.state]}>{STATES[v.state]}</Badge> },
          { label: '更新', render: (v) => time(v.updated_at) },
        ]} />
      )}</Loading>
    </>
  );
}

// One step of a case: the button, and the reason (and scope, rung, amount) it asks for.
function Step({ v, a, onDone }) {
  const { action, label } = a;
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [scope, setScope] = useState(v.level === 'terminal' ? 'terminal' : 'unit');
  const [amount, setAmount] = useState('');
  const [error, setError] = useState(null);
  const asks = a.reason || action === 'isolate' || action === 'charge';
  const send = async (e) => {
    e?.preventDefault();
    setError(null);
    const body = { action, if_rev: v.rev };
    if (reason) body.reason = reason;
    if (action === 'isolate') body.scope = scope;
    if (action === 'charge') body.amount = amount;
    try {
      await post(`/violations/${v.id}/transitions`, body);
      setOpen(false);
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  if (!open) {
    return (
      <button type="button" class={action === 'isolate' || action === 'escalate' ? 'danger' : ''}
        onClick={() => (asks ? setOpen(true) : send())}>{label}</button>
    );
  }
  return (
    <form class="card" onSubmit={send} noValidate aria-label={label}>
      {action === 'isolate' && v.level === 'unit' ? (
        <Field label="断网范围" name="scope" error={error}>{(p) => (
          <select {...p} value={scope} onChange={(e) => setScope(e.currentTarget.value)}>
            <option value="unit">整个单位（暂停接入）</option>
            <option value="terminal">只断开该终端</option>
          </select>
        )}</Field>
      ) : null}
      {action === 'charge' ? (
        <Field label="维修费用（元）" name="amount" error={error} required hint="如 1280.50">{(p) => (
          <input {...p} inputMode="decimal" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />
        )}</Field>
      ) : null}
      <Field label={action === 'charge' ? '费用说明' : '理由'} name="reason" error={error} required={a.reason}>{(p) => (
        <textarea {...p} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      )}</Field>
      {error && !['reason', 'amount', 'scope'].includes(error.field) ? <ErrorBox error={error} /> : null}
      <button type="submit">确认{label}</button> <button type="button" onClick={() => setOpen(false)}>取消</button>
    </form>
  );
}

export function ViolationDetail({ id }) {
  const v = useLoad(`/violations/${id}`);
  const unit = useUnitNames();
  return (
    <Loading state={v}>{(x) => (
      <>
        <h1>违规事项 {x.id}：{x.behaviour_name}</h1>
        <dl class="facts">
          <dt>状态</dt><dd><Badge kind={STATE_KIND[x.state]}>{STATES[x.state]}</Badge>
            {x.isolations.some((i) => !i.lifted) ? `（${x.isolated_scope === 'unit' ? '整个单位' : '终端'}已断网）` : ''}</dd>
          <dt>单位</dt><dd><Link href={`/units/${x.unit_id}`}>{unit(x.unit_id)}</Link></dd>
          <dt>违反条款</dt><dd><ClauseLink id={x.clause} />（第 {x.offence} 次违规）</dd>
          <dt>处理措施</dt><dd>{x.sanction_name ? <>{x.sanction_name}，依据 <ClauseLink id={x.sanction_clause} /></> : '本县办法未规定处罚，予以提醒'}（{LEVELS[x.level]}）</dd>
          <dt>MAC / IP</dt><dd>{x.mac || '—'} / {x.ip || '—'}</dd>
          <dt>情况说明</dt><dd>{x.detail}</dd>
          {x.finding_id ? <><dt>监测发现</dt><dd><Link href={`/findings/${x.finding_id}`}>发现 {x.finding_id}</Link></dd></> : null}
          {x.repair_cost ? <><dt>维修费用</dt><dd>{x.repair_cost_yuan} 元（{x.cost_note}）</dd></> : null}
          {x.deadlines.length ? <><dt>整改期限</dt><dd>{x.deadlines.map((d) => <DeadlineBadge d={d} />)}</dd></> : null}
        </dl>
        {x.state !== 'open' && x.state !== 'dismissed' ? (
          <p>通知书：<a href={`/api/v1/violations/${x.id}/notice`}>打印</a>{' '}
            <a href={`/api/v1/violations/${x.id}/notice?format=pdf`}>PDF</a></p>
        ) : null}
        {x.ladder.length ? (
          <p>处罚阶梯：{x.ladder.map((r, i) => <>{i ? ' → ' : ''}{r.current ? <strong>{r.name}</strong> : r.name}</>)}</p>
        ) : null}
        {x.actions.length ? (
          <div class="toolbar" role="group" aria-label="可执行的操作">
            {/* keyed by the case's version: a step's form never carries over into the next */}
            {x.actions.map((a) => <Step key={`${x.rev}-${a.action}`} v={x} a={a} onDone={v.reload} />)}
          </div>
        ) : null}
        {x.isolations.length ? (
          <>
            <Table caption="断网隔离" rows={x.isolations} columns={[
              { label: '类型', render: (i) => ({ ip4: 'IPv4 地址', ip6: 'IPv6 地址', mac: 'MAC 地址', net4: 'IPv4 地址段', net6: 'IPv6 地址段' }[i.kind]) },
              { label: '值', key: 'value' },
              { label: '开始', render: (i) => time(i.since) },
              { label: '解除', render: (i) => (i.lifted ? time(i.lifted) : '生效中') },
            ]} />
            <p>交换机 ACL：{['vrp', 'comware', 'ios'].map((vd) => (
              <>{' '}{{ vrp: '华为', comware: '新华三', ios: '思科' }[vd]}
                （{x.isolations.some((i) => !i.lifted) ? <a href={`/api/v1/violations/${x.id}/acl?vendor=${vd}&op=apply`}>断网</a> : null}
                {' '}<a href={`/api/v1/violations/${x.id}/acl?vendor=${vd}&op=remove`}>恢复</a>）</>
            ))}</p>
          </>
        ) : null}
        <Table caption="处理经过" rows={x.events} columns={[
          { label: '时间', render: (e) => time(e.at) },
          { label: '操作', key: 'action_label' },
          { label: '状态', render: (e) => STATES[e.to_state] },
          { label: '办理人', render: (e) => e.actor },
          { label: '依据', render: (e) => <ClauseLink id={e.clause} /> },
          { label: '理由', key: 'reason' },
        ]} />
      </>
    )}</Loading>
  );
}

// A probe is healthy when it reported within five minutes.
const fresh = (iso) => Date.now() - new Date(iso).getTime() < 5 * 60 * 1000;

export function Probes() {
  const s = useSession();
  const probes = useLoad('/probes', true);
  const enf = useLoad(can(s, 'ENFORCEMENT_READ') ? '/enforcement?detail=1' : null);
  return (
    <>
      <h1>探针与断网</h1>
      <Loading state={probes}>{(d) => (
        <Table caption="探针" rows={d.items} empty="还没有探针上报" columns={[
          { label: '名称', key: 'name' },
          { label: '状况', render: (p) => (fresh(p.last_seen) ? <Badge kind="green">正常</Badge> : <Badge kind="red">失联</Badge>) },
          { label: '最近上报', render: (p) => time(p.last_seen) },
          { label: '来源', key: 'source' },
          { label: '观测数', key: 'observations' },
          { label: '发现数', key: 'findings' },
          { label: '待重传 / 丢弃', render: (p) => `${p.spooled} / ${p.dropped}` },
        ]} />
      )}</Loading>
      {enf.data || enf.loading || enf.error ? (
        <Loading state={enf}>{(e) => (
          <>
            <Table caption={`断网执行器（目标版本 ${e.generation}）`} rows={e.enforcers.map((x) => ({ ...x, id: x.name }))} empty="还没有执行器上报" columns={[
              { label: '名称', key: 'name' },
              { label: '状况', render: (x) => (x.ok && x.generation === e.generation && fresh(x.last_seen) ? <Badge kind="green">已同步</Badge> : <Badge kind="red">{x.ok ? '未同步' : '出错'}</Badge>) },
              { label: '最近上报', render: (x) => time(x.last_seen) },
              { label: '已应用版本', key: 'generation' },
              { label: '已下发', render: (x) => Object.entries(x.applied).map(([k, n]) => `${k} ${n}`).join('，') },
              { label: '错误', key: 'error' },
            ]} />
            <Table caption="生效中的隔离" rows={e.entries.map((x, i) => ({ ...x, id: i }))} empty="当前没有隔离" columns={[
              { label: '类型', key: 'kind' },
              { label: '值', key: 'value' },
              { label: '单位', key: 'unit_name' },
              { label: '依据', render: (x) => (x.violation_id ? <Link href={`/violations/${x.violation_id}`}>违规事项 {x.violation_id}</Link> : <Link href={`/units/${x.unit_id}`}>单位状态</Link>) },
              { label: '理由', render: (x) => `${x.reason}${x.clause ? `（${x.clause}）` : ''}` },
              { label: '开始', render: (x) => time(x.since) },
            ]} />
            <p class="muted">隔离后仍可访问：{[...e.sets.allow4, ...e.sets.allow6].join('、') || '（未设置）'}</p>
          </>
        )}</Loading>
      ) : null}
    </>
  );
}
