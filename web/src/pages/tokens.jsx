// API 令牌: tokens for scripts and probes that call the JSON API. Each user manages their own;
// a manager may list everyone's and revoke any, and makes the machines' tokens (a probe, an
// enforcer, FreeRADIUS), which reach only what their scope names. A new token is shown once.
import { useState } from 'preact/hooks';
import { del, post } from '../api.js';
import { time } from '../format.js';
import { ErrorBox, Field, Loading, Table, can, useLoad, useSession } from '../ui.jsx';
import { scopeLabel, useSchema } from '../schema.js';

// How a machine's token is put to use where the machine runs: the token kept in a file only
// root reads, and the command that starts it against this server (zwnet probe and zwnet
// enforce take --token-file).
const MACHINES = [
  ['probe', 'zwnet probe', '--iface 网卡（或 --leases 文件 --lease-format 格式、--snmp）'],
  ['enforcer', 'zwnet enforce', ''],
];
function MachineUse({ made }) {
  const uses = MACHINES.filter(([scope]) => made.scopes?.includes(scope));
  if (!uses.length) return null;
  const file = '/etc/zwnet/token';
  const name = made.name.replace(/'/g, '');
  return (
    <>
      <p>在该设备上保存令牌（仅 root 可读），再启动：</p>
      <pre class="command">{[
        `install -m 600 /dev/null ${file} && printf '%s\n' '${made.token}' > ${file}`,
        ...uses.map(([, cmd, more]) => `${cmd} --server ${location.origin} --name '${name}' --token-file ${file}${more ? ` ${more}` : ''}`),
      ].join('\n')}</pre>
    </>
  );
}

export function Tokens() {
  const s = useSession();
  // the machine scopes (policy/authz.h TOKEN_SCOPE_MAP, served by GET /schemas), in their order
  const SCOPES = useSchema('token_scopes') || [];
  const scopeName = (sc) => scopeLabel(SCOPES, sc);
  const admin = can(s, 'TOKEN_ADMIN');
  const [all, setAll] = useState(false);
  const list = useLoad('/tokens' + (all ? '?all=1' : ''));
  const users = useLoad(all ? '/users' : null, true);
  const [f, setF] = useState({ name: '', expires: '', scopes: [] });
  const [error, setError] = useState(null);
  const [made, setMade] = useState(null);
  const [asking, setAsking] = useState(null);
  const userName = (id) => users.data?.items.find((u) => u.id === id)?.username || id;
  const create = async (e) => {
    e.preventDefault();
    setError(null);
    setMade(null);
    if (!f.name.trim()) return setError({ field: 'name', message: '缺少必填字段：令牌名称' });
    const body = { name: f.name.trim() };
    if (f.scopes.length) body.scope = SCOPES.map((x) => x.name).filter((x) => f.scopes.includes(x)).join(' ');
    // valid through the chosen day, Beijing time
    if (f.expires) body.expires_at = `${f.expires}T23:59:59+08:00`;
    try {
      const r = await post('/tokens', body);
      setMade({ ...r, name: body.name, scopes: f.scopes });
      setF({ name: '', expires: '', scopes: [] });
      list.reload();
    } catch (err) {
      setError(err.field === 'expires_at' ? { ...err, field: 'expires' } : err);
    }
  };
  const revoke = async (t) => {
    setError(null);
    try {
      await del(`/tokens/${t.id}`);
      setAsking(null);
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <h1>API 令牌</h1>
      <p class="muted">脚本和其他系统调用接口时使用令牌代替密码（请求头 Authorization: Bearer 令牌）。代表本人的令牌具有创建者的全部权限，修改或重置密码时自动吊销；探针、断网执行器和 RADIUS 的专用令牌只能访问各自的接口，由网络管理单位创建。</p>
      <form class="form" onSubmit={create} noValidate>
        <h2>创建令牌</h2>
        <Field label="令牌名称" name="name" error={error} required hint="如：探针-城关机房">{(p) => <input {...p} value={f.name} maxLength={100} onInput={(e) => setF({ ...f, name: e.currentTarget.value })} />}</Field>
        <Field label="有效期至" name="expires" error={error} hint="不填则长期有效，直到吊销">{(p) => <input {...p} type="date" value={f.expires} onInput={(e) => setF({ ...f, expires: e.currentTarget.value })} />}</Field>
        {admin ? (
          <fieldset class="field">
            <legend>专用令牌的权限范围</legend>
            {SCOPES.map(({ name: k, label, what }) => (
              <label key={k}><input type="checkbox" checked={f.scopes.includes(k)} onChange={(e) => setF({ ...f, scopes: e.currentTarget.checked ? [...f.scopes, k] : f.scopes.filter((x) => x !== k) })} /> {label}（{what}）</label>
            ))}
            <p class="hint">都不选则为代表本人的令牌。</p>
          </fieldset>
        ) : null}
        {error && !['name', 'expires'].includes(error.field) ? <ErrorBox error={error} /> : null}
        <button type="submit" class="primary">创建令牌</button>
      </form>
      {made ? (
        <div class="notice" role="status">
          <p>令牌“{made.name}”已创建。{made.note}：</p>
          <p><code class="token">{made.token}</code></p>
          <MachineUse made={made} />
        </div>
      ) : null}
      <h2>{all ? '全部用户的令牌' : '我的令牌'}</h2>
      {admin ? (
        <p><label><input type="checkbox" checked={all} onChange={(e) => setAll(e.currentTarget.checked)} /> 显示全部用户的令牌</label></p>
      ) : null}
      <Loading state={list}>{(d) => (
        <Table rows={d.items} empty="没有令牌" columns={[
          { label: '名称', key: 'name' },
          ...(all ? [{ label: '用户', render: (t) => userName(t.user_id) }] : []),
          { label: '权限范围', render: (t) => scopeName(t.scope) },
          { label: '创建时间', render: (t) => time(t.created_at) },
          { label: '有效期至', render: (t) => (t.expires_at ? time(t.expires_at) : '长期') },
          { label: '状态', render: (t) => (t.revoked ? '已吊销' : '有效') },
          { label: '操作', render: (t) => (t.revoked ? null : asking === t.id ? (
            <span class="row-actions">
              <button type="button" class="danger" onClick={() => revoke(t)}>确认吊销令牌 {t.name}</button>
              <button type="button" onClick={() => setAsking(null)}>不吊销</button>
            </span>
          ) : <button type="button" aria-label={`吊销令牌 ${t.name}`} onClick={() => setAsking(t.id)}>吊销</button>) },
        ]} />
      )}</Loading>
    </>
  );
}
