// 终端, 设备, 线路, 运营商: a list and a form to register one, drawn from the server's field
// rules; unit and carrier fields offer the registered ones by name.
import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { day } from '../format.js';
import { RecordForm, useRowActions } from '../form.jsx';
import { Link, Loading, Table, can, useLoad, useSession } from '../ui.jsx';

function RegistryPage({ title, object, path, perm, columns, names, needs = [], hints, what, editNames = names, deleteWord = '删除' }) {
  const s = useSession();
  const list = useLoad(path, true);
  const units = useLoad(needs.includes('unit_id') ? '/units' : null, true);
  const carriers = useLoad(needs.includes('carrier_id') ? '/carriers' : null, true);
  const prefixes = useLoad(needs.includes('prefix_id') ? '/prefixes?status=active' : null, true);
  const [adding, setAdding] = useState(false);
  const unitName = (id) => units.data?.items.find((u) => u.id === id)?.name || id || '';
  const options = {};
  if (units.data) options.unit_id = units.data.items.map((u) => ({ value: u.id, label: u.name }));
  if (carriers.data) options.carrier_id = carriers.data.items.map((c) => ({ value: c.id, label: c.name }));
  if (prefixes.data) options.prefix_id = prefixes.data.items.map((p) => ({ value: p.id, label: `${p.cidr}（${unitName(p.unit_id) || '未分配单位'}）` }));
  const mayWrite = (r) => can(s, perm, r.unit_id ?? undefined);
  const rows = useRowActions({ object, names: editNames, url: (r) => `${path}/${r.id}`, may: mayWrite, what: (r) => `${title}${what(r)}`,
    onChanged: list.reload, options, hints, deleteWord });
  return (
    <>
      <h1>{title}</h1>
      {can(s, perm) && !adding ? <div class="toolbar"><button type="button" class="primary" onClick={() => setAdding(true)}>登记{title}</button></div> : null}
      {adding ? (
        <RecordForm object={object} names={names} options={options} hints={hints} title={`登记${title}`} submitLabel="登记"
          initial={s.role === 'unit_admin' && names.includes('unit_id') ? { unit_id: s.unit_id } : {}}
          onCancel={() => setAdding(false)}
          onSubmit={async (b) => { await post(path, b); setAdding(false); list.reload(); }} />
      ) : null}
      {rows.form}
      <Loading state={list}>{(d) => (
        <Table rows={d.items} empty={`尚未登记${title}`} columns={[...columns.map((c) => (c.key === 'unit_id'
          ? { label: c.label, render: (r) => (r.unit_id ? <Link href={`/units/${r.unit_id}`}>{unitName(r.unit_id)}</Link> : '') }
          : c)), ...(rows.any(d.items) ? [rows.column] : [])]} />
      )}</Loading>
    </>
  );
}

export const Addresses = () => (
  <RegistryPage title="主机地址" object="address" path="/addresses" perm="ADDRESS_WRITE" what={(r) => ` ${r.address}`} deleteWord="释放" needs={['unit_id', 'prefix_id']}
    names={['prefix_id', 'address', 'kind', 'hostname', 'mac', 'description']}
    hints={{ address: '不填则自动取该地址段中下一个空闲地址（避开网络、广播和网关地址）' }}
    columns={[{ label: 'IP 地址', key: 'address' }, { label: '类型', key: 'kind' }, { label: '使用单位', key: 'unit_id' },
      { label: '主机名', key: 'hostname' }, { label: 'MAC', key: 'mac' }, { label: '说明', key: 'description' }]} />
);

export const Terminals = () => (
  <RegistryPage title="终端" object="terminal" path="/terminals" perm="TERMINAL_WRITE" what={(r) => ` ${r.mac}`} needs={['unit_id']}
    names={['mac', 'ip', 'unit_id', 'kind', 'user_name', 'location', 'os', 'antivirus', 'av_signature_date', 'patch_date', 'plugin_installed', 'classified', 'note']}
    hints={{ mac: '如 00:1A:2B:3C:4D:5E' }}
    columns={[{ label: 'MAC', key: 'mac' }, { label: 'IP', key: 'ip' }, { label: '使用单位', key: 'unit_id' },
      { label: '类型', key: 'kind' }, { label: '使用人', key: 'user_name' },
      { label: '病毒库日期', render: (t) => day(t.av_signature_date) }]} />
);

export const Devices = () => (
  <RegistryPage title="设备" object="device" path="/devices" perm="ASSET_WRITE" what={(r) => ` ${r.name}`} needs={['unit_id']}
    names={['name', 'kind', 'owner', 'unit_id', 'custodian', 'model', 'serial', 'mgmt_ip', 'location', 'snmp_version', 'snmp_community', 'note']}
    columns={[{ label: '名称', key: 'name' }, { label: '类型', key: 'kind' }, { label: '产权', key: 'owner' },
      { label: '使用单位', key: 'unit_id' }, { label: '管理地址', key: 'mgmt_ip' }, { label: '型号', key: 'model' }]} />
);

export const Lines = () => (
  <RegistryPage title="线路" object="line" path="/lines" perm="ASSET_WRITE" what={(r) => ` ${r.circuit_id || r.id}`} needs={['unit_id', 'carrier_id']}
    names={['carrier_id', 'unit_id', 'circuit_id', 'bandwidth_mbps', 'endpoint_a', 'endpoint_b', 'payer', 'status', 'note']}
    columns={[{ label: '电路编号', key: 'circuit_id' }, { label: '使用单位', key: 'unit_id' }, { label: '带宽（Mbps）', key: 'bandwidth_mbps' },
      { label: '状态', key: 'status' }, { label: 'A 端', key: 'endpoint_a' }, { label: 'Z 端', key: 'endpoint_b' }]} />
);

export const Carriers = () => (
  <RegistryPage title="运营商" object="carrier" path="/carriers" perm="ASSET_WRITE" what={(r) => ` ${r.name}`}
    names={['name', 'short_name', 'contact_name', 'contact_mobile', 'service_phone', 'note']}
    columns={[{ label: '名称', key: 'name' }, { label: '联系人', key: 'contact_name' }, { label: '手机', key: 'contact_mobile' }, { label: '服务电话', key: 'service_phone' }]} />
);
