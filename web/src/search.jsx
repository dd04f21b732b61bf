// The search box in the header and the page of all results (issue 16 item 1): whatever a clerk
// has in hand (an address, a MAC in any notation, part of a unit's name or its pinyin initials,
// a person, a mobile, a circuit id, a number) goes to GET /search, which says what it took the
// text for and what it found, each result with the console page that shows it. The names of
// the kinds and the types are the server's (kind_label, type_label).
import { useEffect, useRef, useState } from 'preact/hooks';
import { get } from './api.js';
import { navigate, query } from './router.js';
import { ErrorBox, Link } from './ui.jsx';

const PLACEHOLDER = 'IP、MAC、单位或拼音首字母、姓名、手机号';
const SHOWN = 8; // results in the drop-down; the page has them all

const searchPath = (q) => '/search?q=' + encodeURIComponent(q.trim());
const ask = (q) => get('/search?q=' + encodeURIComponent(q));

// One answer per text typed, the latest winning: a slow answer to "cg" never replaces the one
// to "cgz".
function useAnswer(q, delay) {
  const [state, setState] = useState({ answer: null, error: null, q: '' });
  const seq = useRef(0);
  useEffect(() => {
    const text = q.trim();
    const n = ++seq.current;
    if (!text) {
      setState({ answer: null, error: null, q: '' });
      return undefined;
    }
    const t = setTimeout(() => {
      ask(text).then((answer) => n === seq.current && setState({ answer, error: null, q: text }),
        (error) => n === seq.current && setState({ answer: null, error, q: text }));
    }, delay);
    return () => clearTimeout(t);
  }, [q]);
  return state;
}

// The header's combobox (WAI-ARIA combobox with a listbox popup): type, the first results show
// below, arrows move, Enter opens the one chosen or, with none chosen, the page of all results;
// Esc closes.
export function SearchBox() {
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const { answer, error } = useAnswer(q, 180);
  const results = answer ? answer.results.slice(0, SHOWN) : [];
  // the options: the results shown, then 查看全部结果
  const options = answer ? [...results.map((r) => r.path), searchPath(q)] : [];
  useEffect(() => setActive(-1), [answer]);
  const go = (path) => {
    setOpen(false);
    setActive(-1);
    navigate(path);
  };
  const key = (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!options.length) return;
      e.preventDefault();
      setOpen(true);
      const last = options.length - 1;
      if (e.key === 'ArrowDown') setActive((a) => (a >= last ? 0 : a + 1));
      else setActive((a) => (a <= 0 ? last : a - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (active >= 0 && active < options.length) go(options[active]);
      else if (q.trim()) go(searchPath(q));
    } else if (e.key === 'Escape') {
      if (open) { e.preventDefault(); setOpen(false); setActive(-1); }
    }
  };
  const shown = open && q.trim() && (answer || error);
  const id = (i) => `search-opt-${i}`;
  return (
    <div class="search" role="search">
      <input type="search" role="combobox" aria-label="搜索" placeholder={PLACEHOLDER}
        aria-expanded={shown ? 'true' : 'false'} aria-controls="search-list" aria-autocomplete="list"
        aria-activedescendant={shown && active >= 0 && active < options.length ? id(active) : undefined}
        value={q} maxLength={100}
        onInput={(e) => { setQ(e.currentTarget.value); setOpen(true); }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={key} />
      {shown && (
        <ul id="search-list" role="listbox" aria-label="搜索结果" class="search-list">
          {error && <li class="error" role="alert">{error.message}</li>}
          {answer && !results.length && <li class="muted">没有找到“{answer.q}”（按{answer.kind_label}查找）</li>}
          {results.map((r, i) => (
            <li id={id(i)} role="option" aria-selected={i === active ? 'true' : 'false'}
              onMouseDown={(e) => { e.preventDefault(); go(r.path); }}>
              <span class="type">{r.type_label}</span> <strong>{r.title}</strong>
              {r.detail && <span class="muted"> {r.detail}</span>}
            </li>
          ))}
          {answer && (
            <li id={id(results.length)} role="option" class="all"
              aria-selected={active === results.length ? 'true' : 'false'}
              onMouseDown={(e) => { e.preventDefault(); go(searchPath(q)); }}>
              查看全部结果{answer.results.length > SHOWN ? `（共 ${answer.results.length} 条）` : ''}
            </li>
          )}
        </ul>
      )}
    </div>
  );
}

// /search?q=: every result, grouped by type in the server's order.
export function SearchPage({ path }) {
  const q = query(path, 'q') || '';
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  const [state, setState] = useState({ loading: false, answer: null, error: null });
  useEffect(() => {
    if (!q.trim()) { setState({ loading: false, answer: null, error: null }); return undefined; }
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    ask(q).then((answer) => live && setState({ loading: false, answer, error: null }),
      (error) => live && setState({ loading: false, answer: null, error }));
    return () => { live = false; };
  }, [q]);
  const { answer, error } = state;
  const groups = [];
  for (const r of answer?.results || []) {
    const g = groups[groups.length - 1];
    if (g && g.type === r.type) g.rows.push(r);
    else groups.push({ type: r.type, label: r.type_label, rows: [r] });
  }
  const submit = (e) => {
    e.preventDefault();
    if (text.trim()) navigate(searchPath(text));
  };
  return (
    <section>
      <h1>搜索</h1>
      <form class="toolbar" onSubmit={submit}>
        <label>查找内容 <input type="search" name="q" value={text} placeholder={PLACEHOLDER}
          maxLength={100} onInput={(e) => setText(e.currentTarget.value)} /></label>
        <button type="submit">搜索</button>
      </form>
      {error && <ErrorBox error={error} />}
      {state.loading && <p class="muted" role="status">正在查找……</p>}
      {answer && !state.loading && (
        <>
          <p role="status">按{answer.kind_label}查找“{answer.q}”：
            {answer.results.length ? `找到 ${answer.results.length} 条` : '没有找到'}</p>
          {answer.truncated && (
            <p class="notice">有的类别超过 {answer.per_type} 条，只列出了前 {answer.per_type} 条；请输入更完整的内容，或到对应的列表中筛选。</p>
          )}
          {groups.map((g) => (
            <section class="search-group" aria-label={g.label}>
              <h2>{g.label}（{g.rows.length}）</h2>
              <ul>
                {g.rows.map((r) => (
                  <li><Link href={r.path}>{r.title}</Link>{r.detail && <span class="muted"> {r.detail}</span>}</li>
                ))}
              </ul>
            </section>
          ))}
        </>
      )}
      {!q.trim() && <p class="muted">IP 地址、地址段、MAC（任一写法）、单位名称或其拼音首字母（如 cgz 查到城关镇）、姓名、手机号、线路编号、申请或违规事项的编号，均可查找。</p>}
    </section>
  );
}
