// What changed, as people read it (issue 16 item 6): an audit entry's before and after as the
// fields that changed, each by its label and its values as the field table names them (the
// same rules as the lists and the export), and the 变更记录 of one object on its own page.
import { useState } from 'preact/hooks';
import { time } from './format.js';
import { cellText } from './list.jsx';
import { fieldsOf, scopeLabel, useSchema, valueName } from './schema.js';
import { ClauseLink, Link, Loading, Table, can, useDeadlineRules, useLoad, useSession } from './ui.jsx';

// Bookkeeping every record carries: not a change anyone made.
const QUIET = new Set(['rev', 'updated_at', 'created_at', 'status_at']);

const shown = (v) => (v && typeof v === 'object' ? JSON.stringify(v) : v);

// The changed fields of before → after: [{ key, label, from, to }] (a created record: its
// filled fields; a deleted one: what it held). names: values a field holds as codes, by their
// names ({ rule: { access_review: '接入审核' } }). A code the record names beside it
// (behaviour and behaviour_name) is shown by that name.
export function changesOf(before, after, fs, names = {}) {
  const b = before && typeof before === 'object' ? before : {};
  const a = after && typeof after === 'object' ? after : {};
  // once the field table is known, what it does not show (an internal code beside its name)
  const known = Object.keys(fs).length > 0;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter((k) => !QUIET.has(k) && k !== 'id' && (!known || fs[k]));
  const named = (rec, k, v) => rec[`${k}_name`] ?? (typeof names[k] === 'function' ? names[k](v) : names[k]?.[v]) ?? v;
  const text = (k, v, rec) => (v == null || v === '' ? '' : String(cellText(fs[k], shown(named(rec, k, v)))));
  return keys
    .filter((k) => !(k.endsWith('_name') && fs[k.slice(0, -5)]))
    .map((k) => ({ key: k, label: fs[k]?.label ?? k, from: before ? text(k, b[k], b) : null, to: after ? text(k, a[k], a) : null }))
    .filter((c) => c.from !== c.to && !(c.from === null && c.to === '') && !(c.to === null && c.from === ''));
}

// One entry's change: a short list of "字段：旧 → 新".
// rules: the county's deadline rules by name (useDeadlineRules, read once by the list).
export function Diff({ entry, rules = {} }) {
  const fs = fieldsOf(useSchema(entry.object_type));
  const scopes = useSchema('token_scopes');
  if (entry.before == null && entry.after == null) return null;
  if (typeof entry.before !== 'object' && typeof entry.after !== 'object') return <span>{shown(entry.after) ?? ''}</span>;
  const names = entry.object_type === 'deadline' ? { rule: rules }
    : entry.object_type === 'token' ? { scope: (v) => scopeLabel(scopes, v) } : {};
  const changes = changesOf(entry.before, entry.after, fs, names);
  if (!changes.length) return <span class="muted">无字段变化</span>;
  const list = (
    <ul class="diff">
      {changes.map((c) => (
        <li>
          <span class="name">{c.label}</span>：
          {c.from === null ? <ins>{c.to}</ins> : c.to === null ? <del>{c.from}</del> : (
            <><del>{c.from || '（空）'}</del> → <ins>{c.to || '（空）'}</ins></>
          )}
        </li>
      ))}
    </ul>
  );
  // a record created or deleted shows all its fields: folded
  return entry.before == null || entry.after == null
    ? <details><summary>{entry.before == null ? '登记内容' : '删除前内容'}（{changes.length} 项）</summary>{list}</details>
    : list;
}

// 变更记录 of one object (for those who may read the log), newest first, with the way to the
// whole of it in 审计日志. A unit's is everything about it: its own entries and those of what
// belongs to it (contacts, agreements, applications, terminals), the log's unit_id.
export function History({ type, id }) {
  const s = useSession();
  if (!can(s, 'AUDIT_READ')) return null;
  return <HistoryList type={type} id={id} />;
}

function HistoryList({ type, id }) {
  const [limit, setLimit] = useState(10);
  const q = type === 'unit' ? `unit_id=${encodeURIComponent(id)}`
    : `object_type=${encodeURIComponent(type)}&object_id=${encodeURIComponent(id)}`;
  const list = useLoad(`/audit?${q}&limit=${limit}`);
  const rules = useDeadlineRules();
  return (
    <section aria-labelledby={`hist-${type}`}>
      <h2 id={`hist-${type}`}>变更记录</h2>
      <Loading state={list}>{(d) => (
        <>
          <div class="table-wrap">
            <table>
              <thead><tr><th scope="col">时间</th><th scope="col">操作人</th><th scope="col">操作</th><th scope="col">变更</th><th scope="col">依据</th></tr></thead>
              <tbody>
                {d.items.length ? d.items.map((e) => (
                  <tr key={e.id}>
                    <td>{time(e.at)}</td>
                    <td>{e.actor}{e.role_label ? `（${e.role_label}）` : ''}</td>
                    <td>{type === 'unit' && e.object_type !== 'unit' ? `${e.object_label} · ` : ''}{e.action_label}</td>
                    <td><Diff entry={e} rules={rules} /></td>
                    <td>{e.clause ? <ClauseLink id={e.clause} /> : ''}</td>
                  </tr>
                )) : <tr><td colSpan={5} class="muted">无</td></tr>}
              </tbody>
            </table>
          </div>
          <p class="muted">
            共 {d.total} 条{d.total > d.items.length ? `，显示最近 ${d.items.length} 条` : ''}
            {d.total > d.items.length && <> <button type="button" class="link" onClick={() => setLimit(Math.min(500, limit * 5))}>显示更多</button></>}
            {' '}<Link href={`/audit?${q}`}>在审计日志中查看</Link>
          </p>
        </>
      )}</Loading>
    </section>
  );
}

// The steps of a case as its workflow recorded them (case_events, violations' and applications'
// own): when, the step by its label, the state it left, who, the clause, and what it changed.
export function CaseEvents({ events, names, caption = '办理经过' }) {
  return (
    <Table caption={caption} rows={events} columns={[
      { label: '时间', render: (e) => time(e.at) },
      { label: '操作', key: 'action_label' },
      { label: '状态', render: (e) => valueName(names.state, e.to_state) },
      { label: '办理人', render: (e) => e.actor },
      { label: '依据', render: (e) => (e.clause ? <ClauseLink id={e.clause} /> : '') },
      { label: '说明', render: (e) => [e.detail, e.reason].filter(Boolean).join('；') },
    ]} />
  );
}
