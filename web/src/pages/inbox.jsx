// 站内消息 (issue 16 item 3): every notice the server wrote to one's inbox, newest first, each
// linked to what it is about; mark one or all read; and which topics also come by e-mail. The
// header's badge (InboxBadge) counts the unread ones.
import { useEffect, useState } from 'preact/hooks';
import { get, post, api } from '../api.js';
import { time } from '../format.js';
import { navigate, query } from '../router.js';
import { ClauseLink, ErrorBox, Field, Link, subjectPath } from '../ui.jsx';

// Pages that change what is read tell the badge to count again.
const CHANGED = 'zwnet-inbox';
const changed = () => window.dispatchEvent(new Event(CHANGED));

// The unread count in the header, counted again on every page change, when the inbox changes
// and every minute.
export function InboxBadge({ path }) {
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    const count = () => get('/inbox?unread=true&limit=1').then((r) => live && setN(r.unread), () => {});
    count();
    const t = setInterval(count, 60000);
    window.addEventListener(CHANGED, count);
    return () => { live = false; clearInterval(t); window.removeEventListener(CHANGED, count); };
  }, [path]);
  return (
    <Link href="/inbox" class="light inbox-link" aria-label={n ? `站内消息，${n} 条未读` : '站内消息'}>
      消息{n > 0 && <span class="count" aria-hidden="true">{n > 99 ? '99+' : n}</span>}
    </Link>
  );
}

function Message({ m, onRead }) {
  const to = subjectPath(m.subject_type, m.subject_id);
  const read = async () => {
    await post(`/inbox/${m.id}/read`);
    onRead(m.id);
  };
  const open = async (e) => {
    e.preventDefault();
    if (!m.read_at) await read().catch(() => {});
    navigate(to);
  };
  return (
    <li class={m.read_at ? 'read' : 'unread'}>
      <div class="head">
        {!m.read_at && <span class="dot" aria-hidden="true" />}
        <strong>{m.title}</strong>
        <span class="muted">{time(m.created_at)}{m.read_at ? '' : ' · 未读'}</span>
      </div>
      <p>{m.body}{m.clause && !m.body.includes(m.clause) && <> （依据 <ClauseLink id={m.clause} />）</>}</p>
      <div class="actions">
        {to && <a href={to} onClick={open}>查看{m.subject_type === 'unit' ? '单位' : '事项'}</a>}
        {!m.read_at && <button type="button" class="link" onClick={() => read().catch(() => {})}>标为已读</button>}
      </div>
    </li>
  );
}

function MailPrefs() {
  const [p, setP] = useState(null);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => { get('/session/mail').then(setP, setError); }, []);
  if (!p) return error ? <ErrorBox error={error} /> : null;
  const toggle = (t) => setP({ ...p, topics: p.topics.includes(t) ? p.topics.filter((x) => x !== t) : [...p.topics, t] });
  const save = async (e) => {
    e.preventDefault();
    setError(null);
    setSaved(false);
    try {
      setP(await api('PUT', '/session/mail', { email: p.email.trim(), topics: p.topics }));
      setSaved(true);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="mail-h">
      <h2 id="mail-h">邮件提醒</h2>
      <p class="muted">站内消息收到全部通知。选中的主题另发邮件到下面的邮箱（信息中心邮箱和单位联系人的邮箱照常收到）。</p>
      <form class="form" onSubmit={save} noValidate>
        <Field label="接收邮件的电子邮箱" name="email" error={error} hint="不接收邮件时留空">
          {(a) => <input {...a} type="email" autocomplete="email" value={p.email} onInput={(e) => setP({ ...p, email: e.currentTarget.value })} />}
        </Field>
        <fieldset>
          <legend>邮件提醒的主题</legend>
          {p.available.map((t) => (
            <label class="check"><input type="checkbox" checked={p.topics.includes(t.topic)} onChange={() => toggle(t.topic)} /> {t.label}</label>
          ))}
        </fieldset>
        {error && error.field !== 'email' ? <ErrorBox error={error} /> : null}
        <p aria-live="polite">{saved ? (p.topics.length ? `已保存：${p.topics.length} 个主题将发邮件到 ${p.email}。` : '已保存：不发邮件提醒。') : ''}</p>
        <button type="submit" class="primary">保存邮件提醒</button>
      </form>
    </section>
  );
}

export function Inbox({ path }) {
  const unreadOnly = query(path, 'unread') === 'true';
  const [page, setPage] = useState({ items: [], next: null, unread: 0, loaded: false });
  const [error, setError] = useState(null);
  const [status, setStatus] = useState('');
  const load = (cursor) => get(`/inbox?limit=50${unreadOnly ? '&unread=true' : ''}${cursor ? `&cursor=${cursor}` : ''}`)
    .then((r) => setPage((p) => ({ items: cursor ? [...p.items, ...r.items] : r.items, next: r.next_cursor, unread: r.unread, loaded: true })), setError);
  useEffect(() => { load(null); }, [unreadOnly]);
  const onRead = (id) => {
    setPage((p) => ({
      ...p,
      unread: Math.max(0, p.unread - 1),
      items: unreadOnly ? p.items.filter((m) => m.id !== id) : p.items.map((m) => (m.id === id ? { ...m, read_at: new Date().toISOString() } : m)),
    }));
    changed();
  };
  const readAll = async () => {
    setError(null);
    try {
      const r = await post('/inbox/read');
      setStatus(`已将 ${r.read} 条消息标为已读。`);
      await load(null);
      changed();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section>
      <h1>站内消息</h1>
      <div class="toolbar">
        <span role="group" aria-label="显示">
          <Link href="/inbox" aria-current={unreadOnly ? undefined : 'page'}>全部</Link>
          {' · '}
          <Link href="/inbox?unread=true" aria-current={unreadOnly ? 'page' : undefined}>只看未读</Link>
        </span>
        <span class="muted">未读 {page.unread} 条</span>
        <button type="button" onClick={readAll} disabled={!page.unread}>全部标为已读</button>
      </div>
      <p role="status">{status}</p>
      <ErrorBox error={error} />
      {page.loaded && !page.items.length && <p class="muted">{unreadOnly ? '没有未读消息' : '没有消息'}</p>}
      <ul class="inbox" aria-label="消息">
        {page.items.map((m) => <Message key={m.id} m={m} onRead={onRead} />)}
      </ul>
      {page.next && <button type="button" onClick={() => load(page.next)}>更早的消息</button>}
      <MailPrefs />
    </section>
  );
}
