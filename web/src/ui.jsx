// The console's building blocks: links that route, labelled fields showing the API's error
// next to them, tables, status and deadline badges.
import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { get, getAll } from './api.js';
import { countdown, day, deadlineLevel } from './format.js';
import { navigate } from './router.js';
import { useValueNames } from './schema.js';

export const Session = createContext(null);
export const useSession = () => useContext(Session);

// May the signed-in user do action (a permission of GET /session) at all, or for unit?
export function can(session, action, unitId) {
  const scope = session?.permissions?.[action];
  if (!scope || scope === 'none') return false;
  if (scope === 'all' || unitId === undefined) return true;
  return session.unit_id === unitId;
}

// The console page of an object a deadline, a notice or a result is about, or null.
// The page of an object a notice or a log entry names, and the action that opens it.
const SUBJECT_PAGE = {
  application: ['/applications', 'APPLICATION_READ'], unit: ['/units', 'UNIT_READ'],
  violation: ['/violations', 'VIOLATION_READ'], finding: ['/findings', 'FINDING_READ'],
  ticket: ['/tickets', 'TICKET_READ'], maintenance: ['/maintenance', 'MAINTENANCE_READ'],
  change: ['/changes', 'CHANGE_READ'],
};
// Its address; with a session, only when that session may open it (an auditor reads the log
// of objects it cannot open).
export const subjectPath = (type, id, s) => {
  const p = SUBJECT_PAGE[type];
  return p && id && (!s || can(s, p[1])) ? `${p[0]}/${id}` : null;
};

export function Link({ href, children, ...rest }) {
  const go = (e) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={go} {...rest}>{children}</a>;
}

// Load a resource; { data, error, loading, reload }. all: follow the list's pages.
export function useLoad(path, all = false) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    if (!path) {
      setState({ data: null, error: null, loading: false });
      return undefined;
    }
    setState((s) => ({ ...s, loading: true }));
    (all ? getAll(path) : get(path)).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error) => live && setState({ data: null, error, loading: false }),
    );
    return () => { live = false; };
  }, [path, n]);
  return { ...state, reload: () => setN((x) => x + 1) };
}

export function Loading({ state, children }) {
  if (state.loading && !state.data) return <p class="muted" role="status">正在加载……</p>;
  if (state.error) return <ErrorBox error={state.error} />;
  const d = state.data;
  if (d && d.capped)
    return (
      <>
        <p class="error" role="alert">
          只列出了前 {d.items.length} 条，还有更多没有列出：请用筛选条件缩小范围。
        </p>
        {children(d)}
      </>
    );
  return children(d);
}

export function ErrorBox({ error }) {
  if (!error) return null;
  return (
    <div class="error" role="alert">
      {error.message}
      {error.clause ? <> （依据 <ClauseLink id={error.clause} />）</> : null}
    </div>
  );
}

let fieldSeq = 0;

// A labelled control; the API's error for this field (error.field === name) shows under it.
// The problem of one field: among a form's problems all at once (error.fields), or the one
// the server named.
export const fieldError = (error, name) =>
  (!error ? null : error.fields ? error.fields[name] ?? null : error.field === name ? error.message : null);

// How many problems a form has when it has more than one: said once at the top of the form,
// each then shown at its field.
export function ProblemCount({ error }) {
  const n = error?.fields ? Object.keys(error.fields).length : 0;
  return n > 1 ? <p class="error" role="alert">有 {n} 处需要修改，已在各项下方标出。</p> : null;
}

export function Field({ label, name, error, required, hint, children }) {
  const [id] = useState(() => `f${++fieldSeq}`);
  const mine = fieldError(error, name);
  const control = children({ id, name, 'aria-invalid': mine ? 'true' : undefined,
    'aria-describedby': mine ? id + '-err' : undefined, required });
  return (
    <div class={'field' + (mine ? ' invalid' : '')}>
      <label for={id}>{label}{required ? <span class="req" aria-hidden="true"> *</span> : null}</label>
      {control}
      {hint ? <small class="muted">{hint}</small> : null}
      {mine ? <div class="field-error" id={id + '-err'} role="alert">{mine}</div> : null}
    </div>
  );
}

// A file chosen and sent at once: send(file) uploads it; what went wrong shows under it,
// what went right (done, if given) is announced.
export function FileUpload({ label, accept, send, done, onDone }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [ok, setOk] = useState(false);
  const change = async (e) => {
    const file = e.currentTarget.files[0];
    if (!file) return;
    setBusy(true);
    setError(null);
    setOk(false);
    try {
      await send(file);
      setOk(true);
      onDone?.();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="upload">
      <label>{label}<input type="file" accept={accept} disabled={busy} onChange={change} /></label>
      {done ? <span aria-live="polite">{ok ? done : ''}</span> : null}
      <ErrorBox error={error} />
    </span>
  );
}

export function Badge({ kind, children }) {
  return <span class={'badge ' + (kind || '')}>{children}</span>;
}

// The county's names of its deadline rules (the profile's [deadline] labels): key -> label.
export function useDeadlineRules() {
  const p = useLoad('/profile');
  return Object.fromEntries((p.data?.deadlines || []).map((r) => [r.key, r.label]));
}

// The unit statuses, in the server's order (unit.status).
export const useUnitStatuses = () => Object.keys(useValueNames('unit').status || {});

const unitStatusKind = { 已接入: 'green', 申请中: 'blue', 暂停: 'amber', 已撤销入网资格: 'red', 已拆机: 'grey' };
export function UnitStatus({ status }) {
  return <Badge kind={unitStatusKind[status]}>{status}</Badge>;
}

const appStatusKind = { 已提交: 'blue', 审核中: 'blue', 已批准: 'green', 实施中: 'amber', 已办结: 'grey', 未通过: 'red', 已撤回: 'grey' };
export function AppStatus({ status }) {
  return <Badge kind={appStatusKind[status]}>{status}</Badge>;
}

export function DeadlineBadge({ d }) {
  const names = useValueNames('deadline').status;
  if (!d) return null;
  const level = deadlineLevel(d);
  const label = { green: '正常', amber: '临近', red: '超期', done: '完成', none: '' }[level];
  return (
    <span class={'deadline ' + level} title={`截止 ${day(d.due_date || d.due_at)}`}>
      <span class="dot" aria-hidden="true" />
      <span class="sr-only">{label}：</span>
      {countdown(d, names)}（{d.clause}）
    </span>
  );
}

export function ClauseLink({ id }) {
  return <Link href={`/profile#${encodeURIComponent(id)}`}>{id}</Link>;
}

export function Clauses({ list }) {
  const ids = (Array.isArray(list) ? list : String(list || '').split(/[ ,，]+/)).filter(Boolean);
  return <>{ids.map((c, i) => <>{i ? '、' : ''}<ClauseLink id={c} /></>)}</>;
}

export function Table({ columns, rows, empty = '暂无数据', caption }) {
  return (
    <div class="table-wrap">
      <table>
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>{columns.map((c) => <th scope="col">{c.label}</th>)}</tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr><td colSpan={columns.length} class="muted">{empty}</td></tr>
          ) : rows.map((r) => (
            <tr key={r.id}>{columns.map((c) => <td>{c.render ? c.render(r) : r[c.key]}</td>)}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// A unit's name by id, from the list the caller may read.
// How many rows a list's filters select (its total), without reading them. refresh: a number
// that, when it changes, counts again.
export function useCount(path, refresh = 0) {
  const r = useLoad(path ? `${path}${path.includes('?') ? '&' : '?'}limit=1` : null);
  const seen = useRef(refresh);
  useEffect(() => {
    if (seen.current !== refresh) r.reload();
    seen.current = refresh;
  }, [refresh]);
  return r.data?.total;
}

// A count that links to the list it counts.
export function CountLink({ href, n, unit = '条' }) {
  return <Link href={href}>{n === undefined ? '…' : `${n} ${unit}`}</Link>;
}

export function useUnitNames() {
  const units = useLoad('/units', true);
  return (id) => (id ? units.data?.items.find((u) => u.id === id)?.name || `单位 ${id}` : '（未知单位）');
}

// A list filter kept in the address, so a view can be linked and reloaded.
export function useFilter(path, base) {
  return (k, v) => {
    const q = new URLSearchParams(path.split('?')[1] || '');
    if (v) q.set(k, v); else q.delete(k);
    navigate(base + (q.toString() ? '?' + q : ''), true);
  };
}

// An irreversible step (a workflow row marked confirm): what it does, asked before it is
// taken. Focus starts on 取消; Esc goes back too.
export function Confirm({ label, what, onConfirm, onCancel, error }) {
  const ref = useRef(null);
  const id = `confirm-${label}`;
  useEffect(() => { ref.current?.querySelector('button.cancel')?.focus(); }, []);
  return (
    <div class="card confirm" role="alertdialog" aria-label={`确认${label}`} aria-describedby={id} ref={ref}
      onKeyDown={(e) => { if (e.key === 'Escape') onCancel(); }}>
      <p id={id}>{what}</p>
      {error ? <ErrorBox error={error} /> : null}
      <button type="button" class="danger" onClick={onConfirm}>确认{label}</button>{' '}
      <button type="button" class="cancel" onClick={onCancel}>取消</button>
    </div>
  );
}

// What a confirmed step does, in words: the state it leaves the case in.
export const confirmText = (label, object, toLabel) =>
  `${label}后，该${object}将变为“${toLabel}”，此操作不能撤销。确认要${label}吗？`;
