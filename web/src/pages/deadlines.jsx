// 办理时限 and 工作日历.
import { useState } from 'preact/hooks';
import { post, upload } from '../api.js';
import { day } from '../format.js';
import { useValueNames, valueName } from '../schema.js';
import { ListView } from '../list.jsx';
import { ClauseLink, DeadlineBadge, ErrorBox, Field, FileUpload, Link, Loading, Table, can, useDeadlineRules, subjectPath, useLoad, useSession, useUnitNames } from '../ui.jsx';

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

export function Deadlines({ path }) {
  const s = useSession();
  const rules = useDeadlineRules();
  const subjects = useValueNames('deadline').subject_type || {};
  const unit = useUnitNames();
  const [refresh, setRefresh] = useState(0);
  const filters = ['status', 'subject_type'];
  if (Object.keys(rules).length) filters.push({ name: 'rule', label: '期限规则', options: Object.entries(rules).map(([value, label]) => ({ value, label })) });
  return (
    <>
      <h1>办理时限</h1>
      <ListView path={path} base="/deadlines" api="/deadlines" object="deadline" caption="办理时限列表" defaultSort="due_at"
        filters={filters} defaults={{ status: 'running' }} empty="没有符合条件的时限" refresh={refresh}
        columns={[
          { key: 'subject_type', label: '事项', render: (x) => {
            const name = `${valueName(subjects, x.subject_type)} ${x.subject_type === 'unit' ? unit(x.subject_id) : x.subject_id}`;
            const to = subjectPath(x.subject_type, x.subject_id);
            return to ? <Link href={to}>{name}</Link> : name;
          } },
          { key: 'unit_id', render: (x) => (x.unit_id ? unit(x.unit_id) : '') },
          { key: 'rule', render: (x) => valueName(rules, x.rule) },
          { label: '依据', render: (x) => <ClauseLink id={x.clause} /> },
          { key: 'due_at', label: '截止', render: (x) => day(x.due_date || x.due_at) + (x.provisional ? '（暂按周一至周五计算）' : '') },
          { label: '时限', render: (x) => <DeadlineBadge d={x} /> },
          ...(can(s, 'DEADLINE_WRITE') ? [{ label: '操作', render: (x) => <PauseResume d={x} onDone={() => setRefresh((n) => n + 1)} /> }] : []),
        ]} />
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
