import { useState } from 'preact/hooks';
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
