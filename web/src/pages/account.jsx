// 修改密码: one's own password (the other sessions end and the tokens that act as the user are
// revoked; this session and machines' tokens stay, and the page says which).
import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { ErrorBox, Field } from '../ui.jsx';

export function Account() {
  const [f, setF] = useState({ old_password: '', new_password: '', confirm: '' });
  const [error, setError] = useState(null);
  const [done, setDone] = useState(false);
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    setDone(false);
    if (!f.old_password) return setError({ field: 'old_password', message: '缺少原密码' });
    if (f.new_password !== f.confirm) return setError({ field: 'confirm', message: '两次输入的新密码不一致' });
    try {
      const r = await post('/session/password', { old_password: f.old_password, new_password: f.new_password });
      setF({ old_password: '', new_password: '', confirm: '' });
      setDone(r);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <h1>修改密码</h1>
      <form class="form" onSubmit={submit} noValidate>
        <Field label="原密码" name="old_password" error={error} required>{(p) => <input {...p} type="password" autocomplete="current-password" value={f.old_password} onInput={set('old_password')} />}</Field>
        <Field label="新密码" name="new_password" error={error} required hint="8 到 128 个字符，须同时包含字母和数字">{(p) => <input {...p} type="password" autocomplete="new-password" value={f.new_password} onInput={set('new_password')} />}</Field>
        <Field label="再次输入新密码" name="confirm" error={error} required>{(p) => <input {...p} type="password" autocomplete="new-password" value={f.confirm} onInput={set('confirm')} />}</Field>
        {error && !['old_password', 'new_password', 'confirm'].includes(error.field) ? <ErrorBox error={error} /> : null}
        <p aria-live="polite">{done ? `密码已修改：其他 ${done.sessions_ended} 处登录已退出，${done.tokens_revoked} 个代表本人的 API 令牌已吊销。` + (done.tokens_kept?.length ? `仍有效的专用令牌：${done.tokens_kept.map((t) => t.name).join('、')}。` : '') : ''}</p>
        <button type="submit" class="primary">修改密码</button>
      </form>
    </>
  );
}
