// 申请审批: the list, an access application form, and one application with its deadlines
// counting down and the steps the signed-in role may take now.
import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { Control, RecordForm } from '../form.jsx';
import { check, fieldsOf, problems, useKindLabels, useSchema, useValueNames, valueName } from '../schema.js';
import { day, time } from '../format.js';
import { ListView, cellText } from '../list.jsx';
import { navigate, query } from '../router.js';
import { AppStatus, ClauseLink, Confirm, DeadlineBadge, ErrorBox, confirmText, Field, ProblemCount, fieldError, Link, Loading, Table, can, useDeadlineRules, useLoad, useSession } from '../ui.jsx';
import { History } from '../history.jsx';

export function Applications({ path }) {
  const s = useSession();
  const units = useLoad('/units', true);
  const name = (id) => units.data?.items.find((u) => u.id === id)?.name || `单位 ${id}`;
  const filters = ['kind', 'status'];
  if (s.role !== 'unit_admin' && units.data) filters.push({ name: 'unit_id', options: units.data.items.map((u) => ({ value: u.id, label: u.name })) });
  return (
    <>
      <h1>申请审批</h1>
      <ListView path={path} base="/applications" api="/applications" object="application" caption="申请列表" defaultSort="-id"
        filters={filters} empty="没有符合条件的申请"
        toolbar={can(s, 'APPLICATION_SUBMIT') ? <Link class="button" href="/applications/new">提交申请</Link> : null}
        columns={[
          { key: 'id', label: '编号', render: (a) => <Link href={`/applications/${a.id}`}>{a.id}</Link> },
          'kind',
          { key: 'unit_id', render: (a) => name(a.unit_id) },
          { key: 'status', render: (a) => <AppStatus status={a.status} /> },
          { label: '分配', render: (a) => grantedText(a.granted) },
          // the deadline it waits on, as the server picks it (open_deadline)
          { label: '办理时限', render: (a) => (a.open_deadline ? <DeadlineBadge d={a.open_deadline} /> : '—') },
          { label: '依据', render: (a) => <ClauseLink id={a.clause} /> },
          { label: '提交时间', render: (a) => time(a.created_at) },
        ]} />
    </>
  );
}

// What an approval granted, in one line for the lists: "10.66.1.0/26 · VLAN 101 · 中国电信".
export const grantedText = (g) => (g ? [g.prefix?.cidr, g.vlan ? `VLAN ${g.vlan.vid}` : null, g.carrier?.name].filter(Boolean).join(' · ') : '');

// What was granted, on the application's page: the zone, the subnet with its gateway, the VLAN,
// the carrier that carries it out; what the carrier needs to connect the unit.
function Granted({ g }) {
  if (!g) return null;
  return (
    <section aria-labelledby="granted"><h2 id="granted">分配结果</h2>
      <dl class="facts">
        {g.zone ? <><dt>区域</dt><dd>{g.zone.name}</dd></> : null}
        {g.prefix ? <><dt>地址段</dt><dd><Link href={`/search?q=${encodeURIComponent(g.prefix.cidr)}`}>{g.prefix.cidr}</Link></dd>
          <dt>网关</dt><dd>{g.prefix.gateway || '（未登记）'}</dd>
          {g.prefix.dns ? <><dt>DNS</dt><dd>{g.prefix.dns}</dd></> : null}</> : null}
        {g.vlan ? <><dt>VLAN</dt><dd>{g.vlan.vid}{g.vlan.name ? `（${g.vlan.name}）` : ''}</dd></> : null}
        {g.carrier ? <><dt>实施的网络运营商</dt><dd>{g.carrier.name}{g.carrier.service_phone ? `，服务电话 ${g.carrier.service_phone}` : ''}</dd></> : null}
      </dl>
    </section>
  );
}

// The fields of 附件1 in its order (labels from the server's rules, in the annex's words where
// it has its own), and the assessment SS-10 adds.
const ACCESS_FIELDS = ['address', 'admin_name', 'admin_mobile', 'tech_name', 'tech_mobile', 'ip_count', 'bandwidth_mbps', 'purpose'];
const ASSESSMENT = ['assessment_org', 'assessment_on', 'assessment_conclusion'];
const ANNEX_LABELS = { purpose: '网络用途' };

// The form for a kind of application the county's regulation has: 接入申请 laid out as TB
// 附件1, the others drawn from the server's field rules for the kind.
export function NewApplication({ path }) {
  const s = useSession();
  const profile = useLoad('/profile');
  const kinds = useSchema('application_kinds');
  const [kind, setKind] = useState(query(path, 'kind') || 'access');
  const fixed = s.role === 'unit_admin' ? s.unit_id : null;
  const [unitId, setUnitId] = useState(fixed || Number(query(path, 'unit_id')) || '');
  const units = useLoad(fixed ? null : '/units', true);
  const offered = (kinds || []).filter((k) => profile.data?.workflows.some((w) => w.key === k.kind));
  const def = offered.find((k) => k.kind === kind);
  const wf = profile.data?.workflows.find((w) => w.key === kind);
  return (
    <>
      <h1>提交申请</h1>
      <div class="toolbar">
        <Field label="申请类型" name="kind">{(p) => (
          <select {...p} value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
            {offered.map((k) => <option value={k.kind}>{k.label}</option>)}
          </select>
        )}</Field>
        {fixed || kind === 'access' ? null : (
          <Field label="使用单位" name="unit_id" required>{(p) => (
            <select {...p} value={unitId} onChange={(e) => setUnitId(Number(e.currentTarget.value) || '')}>
              <option value="">请选择</option>
              {(units.data?.items || []).map((u) => <option value={u.id}>{u.name}</option>)}
            </select>
          )}</Field>
        )}
      </div>
      {wf ? <p class="muted">依据 {wf.clauses.map((c) => <ClauseLink id={c} />)}{wf.form ? `，按${wf.form}填报` : ''}{wf.approvals.length > 1 ? `；审批顺序：${wf.approvals.join(' → ')}` : ''}。</p> : null}
      {kind === 'access' ? <AccessForm path={path} kindDef={def} /> : def ? (
        <KindForm key={kind} def={def} unitId={unitId} />
      ) : profile.data && kinds ? <p>本县管理办法没有这种申请程序。</p> : null}
    </>
  );
}

const PORT_FIELDS = ['exposure', 'protocol', 'port', 'target_ip', 'purpose'];

// The first problem of the port rows by the server's rules, named as the server names it
// ("ports[1].port"), or null.
function checkPorts(schema, rows) {
  const fs = fieldsOf(schema);
  for (let i = 0; i < rows.length; i++) {
    for (const n of PORT_FIELDS) {
      const m = fs[n] && check(fs[n], rows[i][n]);
      if (m) return { field: `ports[${i}].${n}`, message: `第 ${i + 1} 个端口：${m}` };
    }
  }
  return null;
}

function PortRows({ rows, setRows, error }) {
  const schema = useSchema('application_port');
  const fs = fieldsOf(schema);
  const names = PORT_FIELDS;
  if (!schema) return null;
  const set = (i, n, v) => setRows(rows.map((r, j) => (j === i ? { ...r, [n]: v } : r)));
  return (
    <fieldset>
      <legend>端口（每行一个）</legend>
      {rows.map((r, i) => (
        <div class="port-row" role="group" aria-label={`第 ${i + 1} 个端口`}>
          {names.map((n) => (
            <Field label={fs[n].label} name={`ports[${i}].${n}`} error={error} required={fs[n].required}>
              {(p) => <Control f={fs[n]} value={r[n]} props={p} onValue={(v) => set(i, n, v)} />}
            </Field>
          ))}
          {rows.length > 1 ? <button type="button" onClick={() => setRows(rows.filter((_, j) => j !== i))}>删除此行</button> : null}
        </div>
      ))}
      <button type="button" onClick={() => setRows([...rows, { protocol: 'tcp' }])}>添加端口</button>
    </fieldset>
  );
}

function KindForm({ def, unitId }) {
  const [ports, setPorts] = useState([{ protocol: 'tcp', exposure: '政务外网' }]);
  const [portError, setPortError] = useState(null);
  const portSchema = useSchema('application_port');
  const names = def.fields.filter((n) => n !== 'zone_id');
  const isPort = (f) => !!f && f.startsWith('ports');
  const submit = async (body) => {
    setPortError(null);
    if (!unitId) throw Object.assign(new Error('请选择使用单位'), { field: 'unit_id' });
    const b = { ...body, kind: def.kind, unit_id: unitId };
    if (def.kind === 'port') {
      const bad = checkPorts(portSchema, ports);
      if (bad) {
        setPortError(bad);
        throw Object.assign(new Error(bad.message), bad);
      }
      b.ports = ports;
    }
    try {
      const a = await post('/applications', b);
      navigate(`/applications/${a.id}`);
    } catch (err) {
      if (isPort(err.field)) setPortError(err);
      throw err;
    }
  };
  return (
    <>
      {def.kind === 'port' ? <PortRows rows={ports} setRows={setPorts} error={portError} /> : null}
      {portError?.field === 'ports' ? <ErrorBox error={portError} /> : null}
      <RecordForm object="application" names={names} required={def.required} submitLabel={`提交${def.label}`} onSubmit={submit}
        elsewhere={isPort} />
    </>
  );
}

// 接入申请 (TB 附件1 fields). Checked against the server's rules before it is sent; the
// API checks every field again and its errors show at the field.
function AccessForm({ path, kindDef }) {
  const s = useSession();
  const schema = useSchema('application');
  const fixed = s.role === 'unit_admin' ? s.unit_id : null;
  const [form, setForm] = useState({ unit_id: fixed || Number(query(path, 'unit_id')) || '', user_type: '', user_type_other: '', purpose: '' });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const units = useLoad(fixed ? null : '/units?status=' + encodeURIComponent('申请中'), true);
  const profile = useLoad('/profile');
  const wf = profile.data?.workflows.find((w) => w.key === 'access');
  const fs = fieldsOf(schema);
  const set = (k, num) => (e) => setForm({ ...form, [k]: num ? (e.currentTarget.value === '' ? '' : Number(e.currentTarget.value)) : e.currentTarget.value });
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body = { kind: 'access' };
    for (const [k, v] of Object.entries(form)) if (v !== '' && v !== null) body[k] = v;
    if (body.user_type !== '其他') delete body.user_type_other;
    const need = [...(kindDef?.required || []), ...(wf?.assessment_required ? ['assessment_org', 'assessment_on', 'assessment_conclusion'] : [])];
    const list = [];
    for (const [k, f] of Object.entries(fs)) {
      if (!(k in body) && !need.includes(k)) continue;
      const m = check({ ...f, required: need.includes(k) }, body[k]);
      if (m) list.push([k, m]);
    }
    const local = problems(list);
    if (local) {
      setBusy(false);
      setError(local);
      document.querySelector(`[name="${local.field}"]`)?.focus();
      return;
    }
    try {
      const a = await post('/applications', body);
      navigate(`/applications/${a.id}`);
    } catch (err) {
      setError(err);
      const bad = err.field && document.querySelector(`[name="${err.field}"]`);
      if (bad) bad.focus();
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <form class="form" onSubmit={submit} noValidate>
        <ProblemCount error={error} />
        {fixed ? null : (
          <Field label="使用单位" name="unit_id" error={error} required hint="只列出接入状态为“申请中”的单位">{(p) => (
            <select {...p} value={form.unit_id} onChange={set('unit_id', true)}>
              <option value="">请选择</option>
              {(units.data?.items || []).map((u) => <option value={u.id}>{u.name}</option>)}
            </select>
          )}</Field>
        )}
        <fieldset>
          <legend>用户类型 <span class="req" aria-hidden="true">*</span></legend>
          {['党政机关', '事业单位', '其他'].map((t) => (
            <label class="choice"><input type="radio" name="user_type" value={t} checked={form.user_type === t} onChange={set('user_type')} /> {t}</label>
          ))}
          {fieldError(error, 'user_type') ? <div class="field-error" role="alert">{fieldError(error, 'user_type')}</div> : null}
        </fieldset>
        {form.user_type === '其他' ? (
          <Field label="其他用户类型" name="user_type_other" error={error}>{(p) => <input {...p} value={form.user_type_other} onInput={set('user_type_other')} />}</Field>
        ) : null}
        {[...ACCESS_FIELDS, ...(wf?.assessment_required ? ASSESSMENT : [])].filter((k) => fs[k]).map((k) => (
          <Field label={ANNEX_LABELS[k] || fs[k].label} name={k} error={error} required>{(p) => (
            <Control f={fs[k]} value={form[k]} props={p} onValue={(v) => setForm({ ...form, [k]: v })} />
          )}</Field>
        ))}
        {error && !document.querySelector(`[name="${error.field}"]`) ? <ErrorBox error={error} /> : null}
        <button type="submit" class="primary" disabled={busy}>{busy ? '正在提交……' : '提交申请'}</button>
      </form>
    </>
  );
}

// What the detail shows of an application: the fields its kind takes, by the server's labels.
const HIDDEN = new Set(['zone_id', 'reason']);

// The steps of the decision, drawn in one form (zone, carrier, opinion); the rest are buttons.
const DECIDING = new Set(['approve', 'reject', 'review']);

function Approve({ app, offered, onDone }) {
  const zones = useLoad(app.kind === 'access' ? '/zones' : null, true);
  const carriers = useLoad(app.kind === 'access' ? '/carriers' : null, true);
  const [f, setF] = useState({ reason: '', zone_id: '', carrier_id: '', allocate: true, review_on: '' });
  const [error, setError] = useState(null);
  const last = app.awaiting && app.approvals.split(/[ ,]+/).filter(Boolean).length - 1 === app.step;
  const act = async (action) => {
    setError(null);
    const body = { action, reason: f.reason };
    if (action === 'approve' && app.kind === 'access' && last) {
      if (f.allocate) body.zone_id = f.zone_id === '' ? undefined : Number(f.zone_id);
      else body.allocate = false;
      if (f.carrier_id) body.carrier_id = Number(f.carrier_id);
    }
    if (action === 'approve' && app.kind === 'port' && f.review_on) body.review_on = f.review_on;
    try {
      await post(`/applications/${app.id}/transitions`, body);
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="inline-form" onSubmit={(e) => { e.preventDefault(); act('approve'); }} noValidate aria-labelledby="decide">
      <h2 id="decide">审核（{app.awaiting.name}）</h2>
      {app.kind === 'access' && last ? (
        <>
          <label class="choice"><input type="checkbox" checked={f.allocate} onChange={(e) => setF({ ...f, allocate: e.currentTarget.checked })} /> 批准时分配地址段和 VLAN</label>
          {f.allocate ? (
            zones.data && !zones.data.items.length ? (
              <p class="hint" role="note">尚未建立地址规划：请先在 <Link href="/ipam">地址规划</Link> 中登记区域及其地址池（容器地址段），再批准并分配；或取消勾选上面的“批准时分配地址段和 VLAN”。</p>
            ) : (
              <Field label="分配区域" name="zone_id" error={error} required>{(p) => (
                <select {...p} value={f.zone_id} onChange={(e) => setF({ ...f, zone_id: e.currentTarget.value })}>
                  <option value="">请选择</option>
                  {(zones.data?.items || []).map((z) => <option value={z.id}>{z.name}</option>)}
                </select>
              )}</Field>
            )
          ) : null}
          <Field label="实施的网络运营商" name="carrier_id" error={error}>{(p) => (
            <select {...p} value={f.carrier_id} onChange={(e) => setF({ ...f, carrier_id: e.currentTarget.value })}>
              <option value="">不指定</option>
              {(carriers.data?.items || []).map((c) => <option value={c.id}>{c.name}</option>)}
            </select>
          )}</Field>
        </>
      ) : null}
      {app.kind === 'port' ? (
        <Field label="复核日期" name="review_on" error={error}>{(p) => <input {...p} type="date" value={f.review_on} onInput={(e) => setF({ ...f, review_on: e.currentTarget.value })} />}</Field>
      ) : null}
      <Field label="审核意见（不予通过时必填理由）" name="reason" error={error}>{(p) => <textarea {...p} rows={2} value={f.reason} onInput={(e) => setF({ ...f, reason: e.currentTarget.value })} />}</Field>
      {error && !['zone_id', 'carrier_id', 'reason', 'review_on'].includes(error.field) ? <ErrorBox error={error} /> : null}
      <div class="buttons">
        {offered.has('approve') ? <button type="submit" class="primary">{offered.get('approve').label}</button> : null}
        {offered.has('reject') ? <button type="button" class="danger" onClick={() => act('reject')}>{offered.get('reject').label}</button> : null}
        {offered.has('review') ? <button type="button" onClick={() => act('review')}>{offered.get('review').label}</button> : null}
      </div>
    </form>
  );
}

function Step({ app, action, label, needReason, confirm, toLabel, onDone, kind }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState(null);
  const [open, setOpen] = useState(false);
  const go = async () => {
    setError(null);
    try {
      await post(`/applications/${app.id}/transitions`, needReason ? { action, reason } : { action });
      setOpen(false);
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  if (needReason && !open) return <button type="button" class={kind} onClick={() => setOpen(true)}>{label}</button>;
  if (confirm && !needReason) {
    if (open) return <Confirm label={label} what={confirmText(label, '申请', toLabel)} error={error} onConfirm={go} onCancel={() => { setOpen(false); setError(null); }} />;
    return <button type="button" class={kind} onClick={() => setOpen(true)}>{label}</button>;
  }
  if (!needReason) return <><button type="button" class={kind} onClick={go}>{label}</button>{error ? <ErrorBox error={error} /> : null}</>;
  return (
    <form class="inline-form" onSubmit={(e) => { e.preventDefault(); go(); }} noValidate>
      <Field label={`${label}的原因`} name="reason" error={error} required>{(p) => <input {...p} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}</Field>
      {error && error.field !== 'reason' ? <ErrorBox error={error} /> : null}
      <button type="submit" class={kind}>{label}</button> <button type="button" onClick={() => setOpen(false)}>取消</button>
    </form>
  );
}

export function ApplicationDetail({ id }) {
  const labels = fieldsOf(useSchema('application'));
  const kinds = useSchema('application_kinds');
  const rules = useDeadlineRules();
  const basis = useValueNames('deadline').basis;
  const app = useLoad(`/applications/${Number(id)}`);
  const unitName = useLoad(app.data ? `/units/${app.data.unit_id}` : null);
  return (
    <Loading state={app}>{(a) => {
      const reload = () => app.reload();
      // the buttons are the steps the server offers this user now (the workflow's table)
      const offered = new Map(a.actions.map((x) => [x.action, x]));
      const decided = ['已批准', '实施中', '已办结', '未通过'].includes(a.status);
      return (
        <>
          <h1>{a.kind_label} {a.id}</h1>
          <dl class="facts">
            <dt>使用单位</dt><dd><Link href={`/units/${a.unit_id}`}>{unitName.data?.name || a.unit_id}</Link></dd>
            <dt>状态</dt><dd><AppStatus status={a.status} />{a.awaiting ? `（待${a.awaiting.name}审核）` : ''}</dd>
            <dt>依据</dt><dd><ClauseLink id={a.clause} /></dd>
            <dt>提交</dt><dd>{time(a.created_at)}，{a.submitted_by}</dd>
            {a.reason ? <><dt>审核意见</dt><dd>{a.reason}</dd></> : null}
          </dl>
          <section aria-labelledby="dl"><h2 id="dl">办理时限</h2>
            <Table rows={a.deadlines} empty="无" columns={[
              { label: '环节', render: (d) => valueName(rules, d.rule) },
              { label: '期限', render: (d) => `${d.amount} 个${valueName(basis, d.basis)}` },
              { label: '截止', render: (d) => day(d.due_date || d.due_at) },
              { label: '状态', render: (d) => <DeadlineBadge d={d} /> },
            ]} />
          </section>
          <div class="actions" role="group" aria-label="可办理的操作">
            {a.actions.some((x) => DECIDING.has(x.action)) && a.awaiting ? <Approve app={a} offered={offered} onDone={reload} /> : null}
            {a.actions.filter((x) => !DECIDING.has(x.action)).map((x) => (
              <Step key={`${a.rev}-${x.action}`} app={a} action={x.action} label={x.label} needReason={x.reason} confirm={x.confirm} toLabel={x.to_label}
                kind={x.action === 'complete' ? 'primary' : ''} onDone={reload} />
            ))}
          </div>
          <p class="actions">
            <a href={`/api/v1/applications/${a.id}/form`} target="_blank" rel="noopener">打印申请表</a>
            <a href={`/api/v1/applications/${a.id}/form?format=pdf`}>下载申请表 PDF</a>
            {decided ? <><a href={`/api/v1/applications/${a.id}/notice`} target="_blank" rel="noopener">打印审核结果通知书</a>
              <a href={`/api/v1/applications/${a.id}/notice?format=pdf`}>下载通知书 PDF</a></> : null}
          </p>
          <Granted g={a.granted} />
          <section aria-labelledby="content"><h2 id="content">申请内容</h2>
            <dl class="facts">
              {((kinds || []).find((k) => k.kind === a.kind)?.fields || []).filter((k) => !HIDDEN.has(k) && a[k] !== null && a[k] !== '' && a[k] !== undefined)
                .filter((k) => cellText(labels[k], a[k]) !== '')
                .map((k) => <><dt>{labels[k]?.label || k}</dt><dd>{cellText(labels[k], a[k])}</dd></>)}
            </dl>
            {a.ports?.length ? <Table rows={a.ports} columns={[
              { label: '开放范围', key: 'exposure' }, { label: '协议', key: 'protocol' }, { label: '端口', key: 'port' },
              { label: '目标地址', key: 'target_ip' }, { label: '用途', key: 'purpose' }]} /> : null}
          </section>
          <section aria-labelledby="events"><h2 id="events">办理记录</h2>
            <Table rows={a.events} columns={[
              { label: '时间', render: (e) => time(e.at) }, { label: '操作', key: 'action_label' },
              { label: '状态', render: (e) => `${e.from_status || ''} → ${e.to_status}` },
              { label: '操作人', key: 'actor' }, { label: '意见', key: 'reason' },
              { label: '依据', render: (e) => (e.clause ? <ClauseLink id={e.clause} /> : '') }]} />
          </section>
          <History type="application" id={a.id} />
        </>
      );
    }}</Loading>
  );
}
