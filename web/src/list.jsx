// A list of the server's, a page at a time (issue 16): the view lives in the address (filters,
// ?q=, sort, page size and the page's cursor), so a view can be linked, reloaded and left with
// the back button; the server counts the rows the filters select and exports the same view
// (?format=csv|xlsx, every page). Which columns sort and which fields filter is the server's
// field table (GET /schemas: sort, filter, search), not a second list here.
import { useEffect, useRef, useState } from 'preact/hooks';
import { day, time } from './format.js';
import { fieldsOf, useSchema } from './schema.js';
import { navigate } from './router.js';
import { Field, Loading, useLoad } from './ui.jsx';

const SIZES = [20, 50, 100, 200];

// A stored value as a person reads it, by its field's rules (the server's export does the same,
// domain/export.c): blanks stay blank.
export function cellText(f, v) {
  if (v == null || v === '') return '';
  if (!f) return String(v);
  if (f.values) {
    const i = f.values.indexOf(v);
    return i >= 0 ? f.labels?.[i] ?? v : v;
  }
  // an integer whose range starts above 0 holds 0 when it was not given (rec_int_unset)
  if (f.type === 'int' && v === 0 && f.min > 0) return '';
  if (f.type === 'bool') return v ? '是' : '否';
  if (f.type === 'time') return time(v);
  if (f.type === 'date') return day(v);
  return String(v);
}
function paramsOf(path) {
  return new URLSearchParams(path.split('?')[1] || '');
}

// The console path with params.
function withParams(base, params) {
  const s = params.toString();
  return base + (s ? '?' + s : '');
}

// The previous pages' cursors of the list being paged, so 上一页 goes back through history.
const trail = [];

// columns: [{ label?, key?, render?(row) }] or a field name: a column of a field is headed by
// the field's label and shows its value as the field table names it (an enum by its label, a
// yes/no as 是/否, a time in local time), unless it says otherwise; a column whose field the
// server sorts by gets a sort button. filters: the fields offered as filters, in order ({ name, label?,
// options?: [{value, label}] } or a field name; an enum's options come from its values).
// fixed: parameters every request carries (not shown, not in the address). base: the
// console path of the page. api: the list's route. refresh: a number that, when it changes,
// loads the page again (after a row was edited).
export function ListView({ path, base, api, object, columns, filters = [], fixed = {}, defaults = {}, empty = '暂无数据', caption, searchLabel, toolbar, defaultSort = 'id', refresh = 0 }) {
  const schema = useSchema(object);
  const fs = fieldsOf(schema);
  const url = paramsOf(path);
  const sort = url.get('sort') || defaultSort;
  const limit = Number(url.get('limit')) || 50;
  const page = Number(url.get('p')) || 1;
  // a filter with a default (the open findings) is in the address as "status=" when 全部
  const value = (k) => url.get(k) ?? defaults[k] ?? '';
  const request = new URLSearchParams(fixed);
  for (const [k, v] of Object.entries(defaults)) if (!url.has(k)) request.set(k, v);
  for (const [k, v] of url) if (k !== 'p') { if (v === '') request.delete(k); else request.set(k, v); }
  if (!request.has('sort')) request.set('sort', sort);
  request.set('limit', String(limit));
  const list = useLoad(`${api}?${request}`);
  const data = list.data;
  const loaded = useRef(refresh);
  useEffect(() => {
    if (loaded.current !== refresh) list.reload();
    loaded.current = refresh;
  }, [refresh]);
  const go = (changes, push = false) => {
    const q = paramsOf(path);
    for (const [k, v] of Object.entries(changes)) {
      if ((v === '' || v == null) && !(k in defaults)) q.delete(k); else q.set(k, v ?? '');
    }
    if (!push) trail.length = 0;
    navigate(withParams(base, q), !push);
  };
  // a change of filter or sort starts again at the first page
  const refilter = (k, v) => go({ [k]: v, cursor: '', p: '' });
  const next = () => {
    trail.push(path);
    go({ cursor: data.next_cursor, p: String(page + 1) }, true);
  };
  const prev = () => {
    if (trail.length) {
      trail.pop();
      history.back();
    } else go({ cursor: '', p: '' });
  };
  const exportHref = (format) => {
    const q = new URLSearchParams(request);
    q.delete('cursor');
    q.delete('limit');
    q.set('format', format);
    return `/api/v1${api}?${q}`;
  };
  const cols = columns.map((c) => (typeof c === 'string' ? { key: c } : c))
    .map((c) => ({ ...c, label: c.label ?? fs[c.key]?.label ?? c.key }));
  const sortable = (c) => c.key && (c.key === 'id' || fs[c.key]?.sort);
  const searchField = Object.values(fs).find((f) => f.search);
  const filterDefs = filters.map((x) => (typeof x === 'string' ? { name: x } : x))
    .filter((x) => x.options || fs[x.name]);
  const first = data ? (page - 1) * limit + 1 : 0;
  return (
    <>
      <div class="toolbar" role="search" aria-label={`筛选${caption || ''}`}>
        {filterDefs.map((x) => {
          const f = fs[x.name] || {};
          const options = x.options || (f.values || []).map((v, i) => ({ value: v, label: f.labels?.[i] ?? v }));
          if (f.type === 'bool') options.push({ value: '1', label: '是' }, { value: '0', label: '否' });
          return (
            <Field label={x.label || f.label} name={x.name}>{(p) => (
              <select {...p} value={value(x.name)} onChange={(e) => refilter(x.name, e.currentTarget.value)}>
                <option value="">全部</option>
                {options.map((o) => <option value={String(o.value)}>{o.label}</option>)}
              </select>
            )}</Field>
          );
        })}
        {searchField ? <SearchBox label={searchLabel || `查找${searchField.label}`} value={url.get('q') || ''} onSearch={(v) => refilter('q', v)} /> : null}
        {toolbar}
      </div>
      <Loading state={list}>{(d) => (
        <>
          <div class="list-head">
            <p class="muted" role="status">
              {d.total === undefined ? `${d.items.length} 条` : d.total === 0 ? '共 0 条' : `共 ${d.total} 条，第 ${first}–${first + d.items.length - 1} 条`}
            </p>
            <span class="exports">
              导出当前筛选结果：<a href={exportHref('xlsx')} download>Excel</a> <a href={exportHref('csv')} download>CSV</a>
            </span>
          </div>
          <div class="table-wrap">
            <table>
              {caption ? <caption class="sr-only">{caption}</caption> : null}
              <thead>
                <tr>{cols.map((c) => {
                  if (!sortable(c)) return <th scope="col">{c.label}</th>;
                  const dir = sort === c.key ? 'ascending' : sort === '-' + c.key ? 'descending' : 'none';
                  const to = dir === 'ascending' ? '-' + c.key : c.key;
                  return (
                    <th scope="col" aria-sort={dir}>
                      <button type="button" class="sort" onClick={() => refilter('sort', to)}
                        title={`按${c.label}${dir === 'ascending' ? '倒序' : '顺序'}排列`}>
                        {c.label}<span aria-hidden="true">{dir === 'ascending' ? ' ▲' : dir === 'descending' ? ' ▼' : ''}</span>
                      </button>
                    </th>
                  );
                })}</tr>
              </thead>
              <tbody>
                {d.items.length === 0 ? (
                  <tr><td colSpan={cols.length} class="muted">{empty}</td></tr>
                ) : d.items.map((r) => (
                  <tr key={r.id}>{cols.map((c) => <td>{c.render ? c.render(r) : cellText(fs[c.key], r[c.key])}</td>)}</tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav class="pager" aria-label="分页">
            <button type="button" disabled={page <= 1 && !url.get('cursor')} onClick={prev}>上一页</button>
            <span>第 {page} 页{d.total !== undefined ? `，共 ${Math.max(1, Math.ceil(d.total / limit))} 页` : ''}</span>
            <button type="button" disabled={!d.next_cursor} onClick={next}>下一页</button>
            <Field label="每页" name="limit">{(p) => (
              <select {...p} value={String(limit)} onChange={(e) => refilter('limit', e.currentTarget.value === '50' ? '' : e.currentTarget.value)}>
                {SIZES.map((n) => <option value={String(n)}>{n} 条</option>)}
              </select>
            )}</Field>
          </nav>
        </>
      )}</Loading>
    </>
  );
}

// A search box that sends what was typed after a pause (and at once on Enter).
function SearchBox({ label, value, onSearch }) {
  const [text, setText] = useState(value);
  const timer = useRef(null);
  useEffect(() => setText(value), [value]);
  const send = (v) => {
    clearTimeout(timer.current);
    if (v !== value) onSearch(v.trim());
  };
  return (
    <Field label={label} name="q">{(p) => (
      <input {...p} type="search" value={text}
        onInput={(e) => {
          const v = e.currentTarget.value;
          setText(v);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => send(v), 400);
        }}
        onKeyDown={(e) => { if (e.key === 'Enter') send(e.currentTarget.value); }} />
    )}</Field>
  );
}
