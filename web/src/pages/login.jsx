import { useEffect, useRef, useState } from 'preact/hooks';
import { post, setCsrf } from '../api.js';
import { navigate, query } from '../router.js';
import { ErrorBox, Field } from '../ui.jsx';

export function Login({ onLogin, path }) {
  const [form, setForm] = useState({ username: '', password: '' });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await post('/session', form);
      setCsrf(r.csrf_token);
      await onLogin();
      const next = query(path, 'next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const set = (k) => (e) => setForm({ ...form, [k]: e.currentTarget.value });
  return (
    <main class="login" id="main">
      <h1>政务外网管理平台</h1>
      <form onSubmit={submit} noValidate>
        <Field label="用户名" name="username" error={error} required>
          {(p) => <input {...p} autocomplete="username" value={form.username} onInput={set('username')} />}
        </Field>
        <Field label="密码" name="password" error={error} required>
          {(p) => <input {...p} type="password" autocomplete="current-password" value={form.password} onInput={set('password')} />}
        </Field>
        {error && !['username', 'password'].includes(error.field) ? <ErrorBox error={error} /> : null}
        <button type="submit" class="primary" disabled={busy}>{busy ? '正在登录……' : '登录'}</button>
      </form>
    </main>
  );
}

// The session ended while someone was working: sign in again in place, over the page, which
// stays as it was (what was typed included); the request that found the session gone is then
// sent again (api.js onSessionExpired). Another account means another page: 退出 goes to the
// login page instead.
export function ReLogin({ username, onDone, onLeave }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef(null);
  useEffect(() => { ref.current?.querySelector('input[type=password]')?.focus(); }, []);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await post('/session', { username, password });
      setCsrf(r.csrf_token);
      onDone();
    } catch (err) {
      setError(err.field ? err : { ...err, message: err.message, field: 'password' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="overlay">
      <form class="card dialog" role="dialog" aria-modal="true" aria-labelledby="relogin-title" ref={ref} onSubmit={submit} noValidate>
        <h2 id="relogin-title">登录已过期</h2>
        <p>请重新输入 {username} 的密码后继续，页面上已填写的内容会保留，刚才的操作会接着完成。</p>
        <Field label="密码" name="password" error={error} required>
          {(p) => <input {...p} type="password" autocomplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />}
        </Field>
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy}>{busy ? '正在登录……' : '登录并继续'}</button>
          <button type="button" onClick={onLeave}>退出</button>
        </div>
      </form>
    </div>
  );
}
