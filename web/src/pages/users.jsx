// 用户管理: the accounts, their roles and units; create, disable and enable, reset a password.
import { useState } from 'preact/hooks';
import { api, post } from '../api.js';
import { time } from '../format.js';
import { RecordForm } from '../form.jsx';
import { useValueNames, valueName } from '../schema.js';
import { ErrorBox, Link, Loading, Table, useLoad } from '../ui.jsx';

export function Users() {
  const users = useLoad('/users?limit=500');
  const units = useLoad('/units', true);
  const carriers = useLoad('/carriers', true);
  const roles = useValueNames('user').role;
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState(null);
  const unitName = (id) => units.data?.items.find((u) => u.id === id)?.name || '';
  const carrierName = (id) => carriers.data?.items.find((c) => c.id === id)?.name || '';
  const toggle = async (u) => {
    setError(null);
    try {
      await api('PATCH', `/users/${u.id}`, { disabled: !u.disabled });
      users.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <h1>用户管理</h1>
      {!adding ? <div class="toolbar"><button type="button" class="primary" onClick={() => setAdding(true)}>创建用户</button></div> : null}
      {adding ? (
        <RecordForm object="user" names={['username', 'display_name', 'role', 'unit_id', 'carrier_id']} title="创建用户" submitLabel="创建"
          options={{ unit_id: (units.data?.items || []).map((u) => ({ value: u.id, label: u.name })),
            carrier_id: (carriers.data?.items || []).map((c) => ({ value: c.id, label: c.name })) }}
          hints={{ unit_id: '使用单位管理员必须指定所属单位', carrier_id: '网络运营商的用户必须指定所属运营商，只看到派给该运营商的故障工单' }}
          extra={{ password: { label: '初始密码', type: 'password', required: true, autocomplete: 'new-password', hint: '8 到 128 个字符，须同时包含字母和数字' } }}
          onCancel={() => setAdding(false)}
          onSubmit={async (b) => { await post('/users', b); setAdding(false); users.reload(); }} />
      ) : null}
      <ErrorBox error={error} />
      <Loading state={users}>{(d) => (
        <Table rows={d.items} columns={[
          { label: '用户名', key: 'username' },
          { label: '姓名', key: 'display_name' },
          { label: '角色', render: (u) => valueName(roles, u.role) },
          { label: '所属单位或运营商', render: (u) => (u.unit_id ? <Link href={`/units/${u.unit_id}`}>{unitName(u.unit_id)}</Link> : carrierName(u.carrier_id)) },
          { label: '状态', render: (u) => (u.disabled ? '已停用' : '正常') },
          { label: '创建时间', render: (u) => time(u.created_at) },
          { label: '操作', render: (u) => <button type="button" onClick={() => toggle(u)} aria-label={`${u.disabled ? '启用' : '停用'} ${u.username}`}>{u.disabled ? '启用' : '停用'}</button> },
        ]} />
      )}</Loading>
    </>
  );
}
