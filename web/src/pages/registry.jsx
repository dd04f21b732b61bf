// 终端, 设备, 线路, 运营商: a list and a form to register one, drawn from the server's field
// rules; unit and carrier fields offer the registered ones by name.
import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { RecordForm, useRowActions } from '../form.jsx';
import { ListView } from '../list.jsx';
import { Link, can, useLoad, useSession } from '../ui.jsx';

function RegistryPage({ path, base, title, object, api, perm, columns, names, filters = [], needs = [], hints, what, editNames = names, deleteWord = '删除' }) {
  const s = useSession();
  const units = useLoad(needs.includes('unit_id') ? '/units' : null, true);
  const carriers = useLoad(needs.includes('carrier_id') ? '/carriers' : null, true);
  const prefixes = useLoad(needs.includes('prefix_id') ? '/prefixes?status=active' : null, true);
  const [adding, setAdding] = useState(false);
  const [refresh, setRefresh] = useState(0);
  const unitName = (id) => units.data?.items.find((u) => u.id === id)?.name || id || '';
  const options = {};
  if (units.data) options.unit_id = units.data.items.map((u) => ({ value: u.id, label: u.name }));
  if (carriers.data) options.carrier_id = carriers.data.items.map((c) => ({ value: c.id, label: c.name }));
  if (prefixes.data) options.prefix_id = prefixes.data.items.map((p) => ({ value: p.id, label: `${p.cidr}（${unitName(p.unit_id) || '未分配单位'}）` }));
  const mayWrite = (r) => can(s, perm, r.unit_id ?? undefined);
  const reload = () => setRefresh((n) => n + 1);
  const rows = useRowActions({ object, names: editNames, url: (r) => `${api}/${r.id}`, may: mayWrite, what: (r) => `${title}${what(r)}`,
    onChanged: reload, options, hints, deleteWord });
  // a unit_admin sees its own unit's objects only: no unit to choose
  const filterDefs = filters.filter((f) => !(f === 'unit_id' && s.role === 'unit_admin'))
    .map((f) => (options[f] ? { name: f, options: options[f] } : f));
  return (
    <>
      <h1>{title}</h1>
      {adding ? (
        <RecordForm object={object} names={names} options={options} hints={hints} title={`登记${title}`} submitLabel="登记" focus
          initial={s.role === 'unit_admin' && names.includes('unit_id') ? { unit_id: s.unit_id } : {}}
          onCancel={() => setAdding(false)}
          onSubmit={async (b) => { await post(api, b); setAdding(false); reload(); }} />
      ) : null}
      {rows.form}
      <ListView path={path} base={base} api={api} object={object} caption={`${title}列表`} refresh={refresh} filters={filterDefs}
        empty={`尚未登记${title}`}
        toolbar={can(s, perm) && !adding ? <button type="button" class="primary" onClick={() => setAdding(true)}>登记{title}</button> : null}
        columns={[...columns.map((c) => (c === 'unit_id'
          ? { key: c, render: (r) => (r.unit_id ? <Link href={`/units/${r.unit_id}`}>{unitName(r.unit_id)}</Link> : '') }
          : c)), ...(can(s, perm) ? [rows.column] : [])]} />
    </>
  );
}

export const Addresses = ({ path }) => (
  <RegistryPage path={path} base="/addresses" title="主机地址" object="address" api="/addresses" filters={['unit_id', 'kind']} perm="ADDRESS_WRITE" what={(r) => ` ${r.address}`} deleteWord="释放" needs={['unit_id', 'prefix_id']}
    names={['prefix_id', 'address', 'kind', 'hostname', 'mac', 'description']}
    hints={{ address: '不填则自动取该地址段中下一个空闲地址（避开网络、广播和网关地址）' }}
    columns={['address', 'kind', 'unit_id', 'hostname', 'mac', 'description']} />
);

export const Terminals = ({ path }) => (
  <RegistryPage path={path} base="/terminals" title="终端" object="terminal" api="/terminals" filters={['unit_id', 'kind']} perm="TERMINAL_WRITE" what={(r) => ` ${r.mac}`} needs={['unit_id']}
    names={['mac', 'ip', 'unit_id', 'kind', 'user_name', 'location', 'os', 'antivirus', 'av_signature_date', 'patch_date', 'plugin_installed', 'classified', 'note']}
    hints={{ mac: '如 00:1A:2B:3C:4D:5E' }}
    columns={['mac', 'ip', 'unit_id', 'kind', 'user_name', 'av_signature_date']} />
);

export const Devices = ({ path }) => (
  <RegistryPage path={path} base="/devices" title="设备" object="device" api="/devices" filters={['unit_id', 'kind', 'owner']} perm="ASSET_WRITE" what={(r) => ` ${r.name}`} needs={['unit_id']}
    names={['name', 'kind', 'owner', 'unit_id', 'custodian', 'model', 'serial', 'mgmt_ip', 'location', 'snmp_version', 'snmp_community', 'note']}
    columns={['name', 'kind', 'owner', 'unit_id', 'mgmt_ip', 'model']} />
);

export const Lines = ({ path }) => (
  <RegistryPage path={path} base="/lines" title="线路" object="line" api="/lines" filters={['unit_id', 'carrier_id', 'status']} perm="ASSET_WRITE" what={(r) => ` ${r.circuit_id || r.id}`} needs={['unit_id', 'carrier_id']}
    names={['carrier_id', 'unit_id', 'circuit_id', 'bandwidth_mbps', 'endpoint_a', 'endpoint_b', 'payer', 'status', 'note']}
    columns={['circuit_id', 'unit_id', 'bandwidth_mbps', 'status', 'endpoint_a', 'endpoint_b']} />
);

export const Carriers = ({ path }) => (
  <RegistryPage path={path} base="/carriers" title="运营商" object="carrier" api="/carriers" perm="ASSET_WRITE" what={(r) => ` ${r.name}`}
    names={['name', 'short_name', 'contact_name', 'contact_mobile', 'service_phone', 'note']}
    columns={['name', 'contact_name', 'contact_mobile', 'service_phone']} />
);
