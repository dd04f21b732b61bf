// 审计日志 (issue 16 item 6): the log as people read it, paged by the server with its count,
// filtered by who, what, which unit and when (the view is the address, so an inspection's
// selection can be linked and exported as it stands), each change as its fields' before → after;
// and the verify button.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api.js';
import { time } from '../format.js';
import { Diff } from '../history.jsx';
import { ListView } from '../list.jsx';
import { navigate, query } from '../router.js';
import { useVocab } from '../schema.js';
import { ClauseLink, ErrorBox, Field, Link, subjectPath, useDeadlineRules, useSession } from '../ui.jsx';

// A Beijing day as the bound of a time filter: its first or its last second.
const dayStart = (d) => (d ? `${d}T00:00:00+08:00` : '');
const dayEnd = (d) => (d ? `${d}T23:59:59+08:00` : '');
const dayOf = (v) => (v ? v.slice(0, 10) : '');

// The filters a select cannot hold: who (a login) and the days, kept in the address like the rest.
function MoreFilters({ path }) {
  const [actor, setActor] = useState(query(path, 'actor') || '');
  useEffect(() => setActor(query(path, 'actor') || ''), [path]);
  const set = (changes) => {
    const q = new URLSearchParams(path.split('?')[1] || '');
    for (const [k, v] of Object.entries(changes)) if (v) q.set(k, v); else q.delete(k);
    q.delete('cursor');
    q.delete('p');
    navigate('/audit' + (q.toString() ? '?' + q : ''), true);
  };
  return (
    <>
      <Field label="操作人（用户名）" name="actor">{(p) => (
        <input {...p} type="search" value={actor} onInput={(e) => setActor(e.currentTarget.value)}
          onKeyDown={(e) => { if (e.key === 'Enter') set({ actor: actor.trim() }); }}
          onBlur={() => { if (actor.trim() !== (query(path, 'actor') || '')) set({ actor: actor.trim() }); }} />
      )}</Field>
      <Field label="自" name="from">{(p) => (
        <input {...p} type="date" value={dayOf(query(path, 'from'))} onChange={(e) => set({ from: dayStart(e.currentTarget.value) })} />
      )}</Field>
      <Field label="至" name="to">{(p) => (
        <input {...p} type="date" value={dayOf(query(path, 'to'))} onChange={(e) => set({ to: dayEnd(e.currentTarget.value) })} />
      )}</Field>
    </>
  );
}

export function Audit({ path }) {
  const s = useSession();
  const objects = useVocab('audit_objects');
  const rules = useDeadlineRules();
  const [verify, setVerify] = useState(null);
  const [error, setError] = useState(null);
  const check = async () => {
    setError(null);
    setVerify(null);
    try { setVerify(await get('/audit/verify')); } catch (e) { setError(e); }
  };
  const objectCell = (a) => {
    const to = subjectPath(a.object_type, a.object_id, s);
    const text = `${a.object_label} ${a.object_id}`;
    return to ? <Link href={to}>{text}</Link> : text;
  };
  return (
    <>
      <h1>审计日志</h1>
      <div class="toolbar">
        <button type="button" onClick={check}>校验日志完整性</button>
        <span aria-live="polite">{verify ? (verify.ok ? `完整：${verify.entries} 条记录的哈希链校验通过` : `发现篡改：第 ${verify.first_bad_id} 条（${verify.reason}）`) : ''}</span>
      </div>
      <ErrorBox error={error} />
      <ListView path={path} base="/audit" api="/audit" caption="审计日志" defaultSort="-id"
        filters={[{ name: 'object_type', label: '对象', options: Object.entries(objects).map(([value, label]) => ({ value, label })) }]}
        toolbar={<MoreFilters path={path} />}
        columns={[
          { key: 'id', label: '编号' },
          { label: '时间', render: (a) => time(a.at) },
          { label: '操作人', render: (a) => `${a.actor}${a.role_label ? `（${a.role_label}）` : ''}` },
          { label: '操作', render: (a) => a.action_label },
          { label: '对象', render: objectCell },
          { label: '单位', render: (a) => {
            const to = subjectPath('unit', a.unit_id, s);
            const name = a.unit_name || (a.unit_id ? `单位 ${a.unit_id}` : '');
            return to ? <Link href={to}>{name}</Link> : name;
          } },
          { label: '变更', render: (a) => <Diff entry={a} rules={rules} /> },
          { label: '依据', render: (a) => (a.clause ? <ClauseLink id={a.clause} /> : '') },
          { label: '来源', render: (a) => a.source },
        ]} />
    </>
  );
}
