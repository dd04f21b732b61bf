// 值班: the duty roster and the duty log (JX-19). The manager plans who is on duty; the person
// on the roster takes the shift over, records what was seen and done and the county's daily
// checks, and hands over once every check is recorded; a day's log prints for the file.
import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { day as dayText, time, today } from '../format.js';
import { ListView } from '../list.jsx';
import { useValueNames, valueName } from '../schema.js';
import { Badge, ClauseLink, ErrorBox, Field, Link, Loading, Table, can, useLoad, useSession } from '../ui.jsx';
import { CaseStep, CaseSteps } from '../steps.jsx';
import { CaseEvents, History } from '../history.jsx';
import { navigate } from '../router.js';

const STATE_KIND = { planned: 'amber', on_duty: 'blue', handed_over: 'green', cancelled: 'grey' };
const stateBadge = (names, state) => <Badge kind={STATE_KIND[state]}>{valueName(names.state, state)}</Badge>;
// today in Beijing as YYYY-MM-DD
const logUrl = (d, pdf) => `/api/v1/duty/log?day=${d}${pdf ? '&format=pdf' : ''}`;

function PlanForm({ onCancel }) {
  const users = useLoad('/users', true);
  const [v, setV] = useState({ day: today(), shift: '白班', user_id: '' });
  const [error, setError] = useState(null);
  const set = (k) => (e) => setV({ ...v, [k]: e.currentTarget.value });
  const people = (users.data?.items || []).filter((u) => !u.disabled && (u.role === 'manager' || u.role === 'operator'));
  const send = async (e) => {
    e.preventDefault();
    setError(null);
    try {
      const d = await post('/duty', { day: v.day, shift: v.shift, user_id: Number(v.user_id) || 0 });
      navigate(`/duty/${d.id}`);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="card" onSubmit={send} noValidate aria-label="排班">
      <h2>排班</h2>
      <Field label="值班日期" name="day" error={error} required>{(p) => <input {...p} type="date" value={v.day} onInput={set('day')} />}</Field>
      <Field label="班次" name="shift" error={error} required>{(p) => (
        <select {...p} value={v.shift} onChange={set('shift')}>{['白班', '夜班', '全天'].map((s) => <option value={s}>{s}</option>)}</select>
      )}</Field>
      <Field label="值班人" name="user_id" error={error} required hint="网络管理单位或运维团队的在用账号">{(p) => (
        <select {...p} value={v.user_id} onChange={set('user_id')}>
          <option value="">请选择</option>
          {people.map((u) => <option value={u.id}>{u.display_name || u.username}（{u.username}）</option>)}
        </select>
      )}</Field>
      {error && !['day', 'shift', 'user_id'].includes(error.field) ? <ErrorBox error={error} /> : null}
      <button type="submit" class="primary">排班</button> <button type="button" onClick={onCancel}>取消</button>
    </form>
  );
}

export function Duty({ path }) {
  const s = useSession();
  const names = useValueNames('duty_shift');
  const [adding, setAdding] = useState(false);
  const [logDay, setLogDay] = useState(today());
  return (
    <>
      <h1>值班</h1>
      {adding ? <PlanForm onCancel={() => setAdding(false)} /> : null}
      <p class="toolbar" role="group" aria-label="值班日志">
        <label>值班日志 <input type="date" value={logDay} aria-label="值班日志日期" onInput={(e) => setLogDay(e.currentTarget.value)} /></label>{' '}
        <a href={logUrl(logDay)}>打印</a> <a href={logUrl(logDay, true)}>PDF</a>
      </p>
      <ListView path={path} base="/duty" api="/duty" object="duty_shift" caption="值班表" defaultSort="-day"
        filters={['state', 'shift']} empty="没有排班"
        toolbar={can(s, 'DUTY_PLAN') && !adding ? <button type="button" class="primary" onClick={() => setAdding(true)}>排班</button> : null}
        columns={[
          { key: 'day', render: (d) => <Link href={`/duty/${d.id}`}>{dayText(d.day)}</Link> },
          { key: 'shift' },
          { key: 'user_id', render: (d) => d.user_name },
          { key: 'started_at', render: (d) => time(d.started_at) },
          { key: 'ended_at', render: (d) => time(d.ended_at) },
          { key: 'state', render: (d) => stateBadge(names, d.state) },
        ]} />
    </>
  );
}

// One line of the log: what was seen and done (a linked ticket), or a daily check's result.
function EntryForm({ x, onDone }) {
  const blank = { check_item: '', result: '', seen: '', done: '', ticket_id: '' };
  const [v, setV] = useState(blank);
  const [error, setError] = useState(null);
  const set = (k) => (e) => setV({ ...v, [k]: e.currentTarget.value });
  const send = async (e) => {
    e.preventDefault();
    setError(null);
    const body = { seen: v.seen };
    if (v.done) body.done = v.done;
    if (v.check_item) body.check_item = v.check_item;
    if (v.result) body.result = v.result;
    if (v.ticket_id) body.ticket_id = Number(v.ticket_id);
    try {
      await post(`/duty/${x.id}/entries`, body);
      setV(blank);
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="card" onSubmit={send} noValidate aria-label="记录值班日志">
      <h2>记录值班日志</h2>
      {x.checks.length ? (
        <Field label="日常检查项目" name="check_item" error={error} hint="记录日常检查的结果时选择；其他情况不选">{(p) => (
          <select {...p} value={v.check_item} onChange={set('check_item')}>
            <option value="">（不是日常检查）</option>
            {x.checks.map((c) => <option value={c}>{c}</option>)}
          </select>
        )}</Field>
      ) : null}
      {v.check_item ? (
        <Field label="检查结果" name="result" error={error} required>{(p) => (
          <select {...p} value={v.result} onChange={set('result')}>
            <option value="">请选择</option><option value="正常">正常</option><option value="异常">异常</option>
          </select>
        )}</Field>
      ) : null}
      <Field label="发现情况" name="seen" error={error} required>{(p) => <textarea {...p} value={v.seen} onInput={set('seen')} />}</Field>
      <Field label="处理情况" name="done" error={error}>{(p) => <textarea {...p} value={v.done} onInput={set('done')} />}</Field>
      <Field label="关联故障工单编号" name="ticket_id" error={error}>{(p) => <input {...p} inputMode="numeric" value={v.ticket_id} onInput={set('ticket_id')} />}</Field>
      {error && !['check_item', 'result', 'seen', 'done', 'ticket_id'].includes(error.field) ? <ErrorBox error={error} /> : null}
      <button type="submit" class="primary">记录</button>
    </form>
  );
}

export function DutyDetail({ id }) {
  const s = useSession();
  const d = useLoad(`/duty/${id}`);
  const names = useValueNames('duty_shift');
  return (
    <Loading state={d}>{(x) => {
      const done = (c) => x.entries.filter((e) => e.check_item === c).pop();
      return (
        <>
          <h1>值班：{dayText(x.day)} {x.shift}</h1>
          <dl class="facts">
            <dt>状态</dt><dd>{stateBadge(names, x.state)}</dd>
            <dt>值班人</dt><dd>{x.user_name}</dd>
            <dt>接班时间</dt><dd>{time(x.started_at) || '—'}</dd>
            <dt>交班时间</dt><dd>{time(x.ended_at) || '—'}</dd>
            {x.handover_note ? <><dt>交接事项</dt><dd>{x.handover_note}</dd></> : null}
            {x.clause ? <><dt>依据条款</dt><dd><ClauseLink id={x.clause} /></dd></> : null}
          </dl>
          <p>当日值班日志：<a href={logUrl(x.day)}>打印</a> <a href={logUrl(x.day, true)}>PDF</a></p>
          {x.state === 'on_duty' && x.missing_checks.length ? (
            <p class="warning" role="note">依据 {x.clause ? <ClauseLink id={x.clause} /> : '本县办法'}，交班前须完成并记录日常检查：尚未记录{x.missing_checks.map((c) => `“${c}”`).join('、')}。</p>
          ) : null}
          <CaseSteps x={x}>{(a) => (
            <CaseStep key={`${x.rev}-${a.action}`} url={`/duty/${x.id}/transitions`} rec={x} a={a} what="值班"
              reason={a.action === 'hand_over' ? '交接事项' : a.reason ? '理由' : null} onDone={d.reload} />
          )}</CaseSteps>
          {x.checks.length ? (
            <Table caption="日常检查（交班前须逐项记录）" rows={x.checks} columns={[
              { label: '检查项目', render: (c) => c },
              { label: '结果', render: (c) => { const e = done(c); return e ? <Badge kind={e.result === '正常' ? 'green' : 'red'}>{e.result}</Badge> : <Badge kind="amber">未记录</Badge>; } },
              { label: '情况', render: (c) => done(c)?.seen || '' },
            ]} />
          ) : null}
          <Table caption="值班日志" rows={x.entries} empty="尚无记录" columns={[
            { label: '时间', render: (e) => time(e.at) },
            { label: '检查项目', render: (e) => (e.check_item ? `${e.check_item}：${e.result}` : '') },
            { label: '发现情况', render: (e) => e.seen },
            { label: '处理情况', render: (e) => e.done },
            { label: '关联工单', render: (e) => (e.ticket_id ? <Link href={`/tickets/${e.ticket_id}`}>故障 {e.ticket_id}</Link> : '') },
            { label: '记录人', render: (e) => e.recorded_by },
          ]} />
          {x.state === 'on_duty' && can(s, 'DUTY_WRITE') ? <EntryForm x={x} onDone={d.reload} /> : null}
          <CaseEvents events={x.events} names={names} caption="排班、接班、交班经过" />
          <History type="duty_shift" id={x.id} />
        </>
      );
    }}</Loading>
  );
}
