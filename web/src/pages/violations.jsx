// 违规处理: the cases findings became under the county's regulation, with the steps the
// server offers the signed-in role now.
import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { time } from '../format.js';
import { ListView } from '../list.jsx';
import { useValueNames, useVocab, valueName } from '../schema.js';
import { Badge, ClauseLink, Confirm, DeadlineBadge, confirmText, ErrorBox, Field, Link, Loading, Table, useFilter, useLoad, useUnitNames } from '../ui.jsx';
import { History } from '../history.jsx';

// the badge's colour per state (the names are the server's)
const STATE_KIND = { open: 'amber', notified: 'blue', isolated: 'red', rectifying: 'amber', verified: 'blue', reconnected: 'green', closed: 'grey', revoked: 'red', dismissed: 'grey' };
const stateBadge = (names, state) => <Badge kind={STATE_KIND[state]}>{valueName(names.state, state)}</Badge>;

export function Violations({ path }) {
  const unit = useUnitNames();
  const names = useValueNames('violation');
  return (
    <>
      <h1>违规处理</h1>
      <ListView path={path} base="/violations" api="/violations" object="violation" caption="违规事项列表" defaultSort="-updated_at"
        filters={['state', 'level']} empty="没有符合条件的违规事项"
        columns={[
          { key: 'id', label: '编号', render: (v) => <Link href={`/violations/${v.id}`}>{v.id}</Link> },
          { key: 'unit_id', render: (v) => unit(v.unit_id) },
          { key: 'behaviour', render: (v) => <>{v.behaviour_name}（<ClauseLink id={v.clause} />）</> },
          { label: '次数', render: (v) => `第 ${v.offence} 次` },
          { label: '处理措施', render: (v) => (v.sanction_name ? <>{v.sanction_name}（<ClauseLink id={v.sanction_clause} />）</> : valueName(names.level, v.level)) },
          { key: 'state', render: (v) => stateBadge(names, v.state) },
          { label: '更新', render: (v) => time(v.updated_at) },
        ]} />
    </>
  );
}

// One step of a case: the button, and the reason (and scope, rung, amount) it asks for.
function Step({ v, a, names, onDone }) {
  const { action, label } = a;
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  // the narrowest scope first: the terminal, when the case knows one
  const oneTerminal = Boolean(v.terminal_id || v.mac);
  const [scope, setScope] = useState(v.level === 'terminal' || oneTerminal ? 'terminal' : 'unit');
  const prefixes = useLoad(open && action === 'isolate' ? `/prefixes?unit_id=${v.unit_id}&limit=200` : null);
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
  if (a.confirm && !asks && open) {
    return <Confirm label={label} what={confirmText(label, '违规事项', a.to_label)} error={error} onConfirm={send} onCancel={() => { setOpen(false); setError(null); }} />;
  }
  if (!open) {
    return (
      <button type="button" class={action === 'isolate' || action === 'escalate' ? 'danger' : ''}
        onClick={() => (asks || a.confirm ? setOpen(true) : send())}>{label}</button>
    );
  }
  return (
    <form class="card" onSubmit={send} noValidate aria-label={label}>
      {action === 'isolate' && v.level === 'unit' ? (
        <Field label="断网范围" name="scope" error={error} hint="断开整个单位即暂停其接入">{(p) => (
          <select {...p} value={scope} onChange={(e) => setScope(e.currentTarget.value)}>
            {Object.entries(names.isolated_scope || {}).map(([k, l]) => <option value={k} disabled={k === 'terminal' && !oneTerminal}>{l}</option>)}
          </select>
        )}</Field>
      ) : null}
      {action === 'isolate' ? (
        <p class="warning" role="status">{scope === 'terminal'
          ? `将阻断终端 ${v.mac || ''}${v.ip ? `（${v.ip}）` : ''}的网络访问，本单位其他终端不受影响。`
          : `将阻断本单位全部地址段${prefixes.data ? `：${prefixes.data.items.map((p) => p.cidr).join('、') || '（未分配地址段）'}${prefixes.data.next_cursor ? ' 等' : ''}` : ''}，本单位接入随之暂停。`}</p>
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
  const names = useValueNames('violation');
  const kinds = useVocab('isolation_kinds');
  const vendors = useVocab('acl_vendors');
  return (
    <Loading state={v}>{(x) => (
      <>
        <h1>违规事项 {x.id}：{x.behaviour_name}</h1>
        <dl class="facts">
          <dt>状态</dt><dd>{stateBadge(names, x.state)}
            {x.isolations.some((i) => !i.lifted) ? `（${valueName(names.isolated_scope, x.isolated_scope)}已断网）` : ''}</dd>
          <dt>单位</dt><dd><Link href={`/units/${x.unit_id}`}>{unit(x.unit_id)}</Link></dd>
          <dt>违反条款</dt><dd><ClauseLink id={x.clause} />（第 {x.offence} 次违规）</dd>
          <dt>处理措施</dt><dd>{x.sanction_name ? <>{x.sanction_name}，依据 <ClauseLink id={x.sanction_clause} /></> : '本县办法未规定处罚，予以提醒'}（{valueName(names.level, x.level)}）</dd>
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
            {x.actions.map((a) => <Step key={`${x.rev}-${a.action}`} v={x} a={a} names={names} onDone={v.reload} />)}
          </div>
        ) : null}
        {x.isolations.length ? (
          <>
            <Table caption="断网隔离" rows={x.isolations} columns={[
              { label: '类型', render: (i) => valueName(kinds, i.kind) },
              { label: '值', key: 'value' },
              { label: '开始', render: (i) => time(i.since) },
              { label: '解除', render: (i) => (i.lifted ? time(i.lifted) : '生效中') },
            ]} />
            <p>交换机 ACL：{Object.entries(vendors).map(([vd, maker]) => (
              <>{' '}{maker}
                （{x.isolations.some((i) => !i.lifted) ? <a href={`/api/v1/violations/${x.id}/acl?vendor=${vd}&op=apply`}>断网</a> : null}
                {' '}<a href={`/api/v1/violations/${x.id}/acl?vendor=${vd}&op=remove`}>恢复</a>）</>
            ))}</p>
          </>
        ) : null}
        <Table caption="处理经过" rows={x.events} columns={[
          { label: '时间', render: (e) => time(e.at) },
          { label: '操作', key: 'action_label' },
          { label: '状态', render: (e) => valueName(names.state, e.to_state) },
          { label: '办理人', render: (e) => e.actor },
          { label: '依据', render: (e) => <ClauseLink id={e.clause} /> },
          { label: '理由', key: 'reason' },
        ]} />
        <History type="violation" id={x.id} />
      </>
    )}</Loading>
  );
}

// A probe is healthy when it reported within five minutes.
