// 办理时限 and 工作日历.
import { useState } from 'preact/hooks';
import { post, upload } from '../api.js';
import { day } from '../format.js';
import { useValueNames, valueName } from '../schema.js';
import { ClauseLink, DeadlineBadge, ErrorBox, Field, FileUpload, Link, Loading, Table, can, useDeadlineRules, useLoad, useSession } from '../ui.jsx';

// Pause (with the reason, TB-13: the unit is not ready) or resume one deadline.
function PauseResume({ d, onDone }) {
  const [reason, setReason] = useState('');
  const [open, setOpen] = useState(false);
  const [error, setError] = useState(null);
  const go = async (action) => {
    setError(null);
    try {
      await post(`/deadlines/${d.id}/${action}`, action === 'pause' ? { reason } : {});
      setOpen(false);
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  if (d.status === 'paused') return <><button type="button" onClick={() => go('resume')}>恢复计时</button><ErrorBox error={error} /></>;
  if (d.status !== 'running') return null;
  if (!open) return <button type="button" onClick={() => setOpen(true)} aria-label={`暂停第 ${d.id} 号时限`}>暂停</button>;
  return (
    <form onSubmit={(e) => { e.preventDefault(); go('pause'); }} noValidate>
      <Field label="暂停原因" name="reason" error={error} required>{(p) => <input {...p} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}</Field>
      {error && error.field !== 'reason' ? <ErrorBox error={error} /> : null}
      <button type="submit">确认暂停</button> <button type="button" onClick={() => setOpen(false)}>取消</button>
    </form>
  );
}

export function Deadlines() {
  const s = useSession();
  const [status, setStatus] = useState('running');
  const list = useLoad(`/deadlines?status=${status}&sort=due_at`, true);
  const statuses = useValueNames('deadline').status || {};
  const rules = useDeadlineRules();
  return (
    <>
      <h1>办理时限</h1>
      <div class="toolbar">
        <Field label="状态" name="status">{(p) => (
          <select {...p} value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            {Object.entries(statuses).map(([k, v]) => <option value={k}>{v}</option>)}
          </select>
        )}</Field>
      </div>
      <Loading state={list}>{(d) => (
        <Table rows={d.items} empty="没有这种状态的时限" columns={[
          { label: '事项', render: (x) => (x.subject_type === 'application' ? <Link href={`/applications/${x.subject_id}`}>申请 {x.subject_id}</Link> : `${x.subject_type} ${x.subject_id}`) },
          { label: '规则', render: (x) => valueName(rules, x.rule) },
          { label: '依据', render: (x) => <ClauseLink id={x.clause} /> },
          { label: '截止', render: (x) => day(x.due_date || x.due_at) + (x.provisional ? '（暂按周一至周五计算）' : '') },
          { label: '时限', render: (x) => <DeadlineBadge d={x} /> },
          ...(can(s, 'DEADLINE_WRITE') ? [{ label: '操作', render: (x) => <PauseResume d={x} onDone={list.reload} /> }] : []),
        ]} />
      )}</Loading>
    </>
  );
}

// A new year's arrangement (国务院办公厅放假通知, the holiday-cn JSON format), loaded by a
// manager; the deadlines computed provisionally for that year are then recomputed.
function LoadYear({ year, onDone }) {
  return (
    <div class="card">
      <FileUpload label={`载入 ${year} 年放假安排（JSON 文件）`} accept="application/json,.json" onDone={onDone}
        done={`已载入 ${year} 年的放假安排，该年的暂定时限已重新计算`}
        send={(file) => upload(`/calendar/${year}`, new File([file], file.name, { type: 'application/json' }))} />
    </div>
  );
}

export function Calendar() {
  const s = useSession();
  const [year, setYear] = useState(new Date().getFullYear());
  const cal = useLoad(`/calendar/${year}`);
  return (
    <>
      <h1>工作日历</h1>
      <div class="toolbar">
        <button type="button" onClick={() => setYear(year - 1)}>上一年</button>
        <strong aria-live="polite">{year} 年</strong>
        <button type="button" onClick={() => setYear(year + 1)}>下一年</button>
      </div>
      <Loading state={cal}>{(d) => (
        <>
          {!d.loaded ? <p class="warning">{year} 年的放假安排尚未载入，按周一至周五计算，所涉时限标为暂定。</p> : null}
          {can(s, 'CALENDAR_WRITE') ? <LoadYear year={year} onDone={cal.reload} /> : null}
          <Table caption="节假日与调休上班日" rows={d.days.filter((x) => x.name || (x.working && ['星期六', '星期日'].includes(x.weekday))).map((x) => ({ ...x, id: x.date }))}
            columns={[{ label: '日期', render: (x) => day(x.date) }, { label: '星期', key: 'weekday' },
              { label: '安排', render: (x) => (x.working ? `上班（${x.name || '调休'}）` : `休息（${x.name}）`) }]} />
        </>
      )}</Loading>
    </>
  );
}
