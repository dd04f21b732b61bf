// 地址规划: the prefix tree with utilisation bars, the free blocks of a container, allocation
// to a unit, zones and VLANs.
import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { RecordForm, useRowActions } from '../form.jsx';
import { useValueNames, valueName } from '../schema.js';
import { ErrorBox, Field, Link, Loading, Table, can, useLoad, useSession } from '../ui.jsx';

function tree(items) {
  const byParent = new Map();
  items.forEach((p) => {
    const k = p.parent_id || 0;
    if (!byParent.has(k)) byParent.set(k, []);
    byParent.get(k).push(p);
  });
  const ids = new Set(items.map((p) => p.id));
  const out = [];
  const walk = (k, depth) => (byParent.get(k) || []).forEach((p) => {
    out.push({ ...p, depth });
    walk(p.id, depth + 1);
  });
  // roots: no parent, or a parent the list does not hold (a unit's own view)
  items.filter((p) => !p.parent_id || !ids.has(p.parent_id)).forEach((p) => {
    out.push({ ...p, depth: 0 });
    walk(p.id, 1);
  });
  return out;
}

function FreeBlocks({ id }) {
  const free = useLoad(`/prefixes/${id}/free`);
  return (
    <Loading state={free}>{(f) => (
      <div class="card">
        <h3>{f.cidr} 的空闲地址块（共 {f.free_addresses} 个地址）</h3>
        <ul>{f.free.map((g) => <li>/{g.length}：{g.count} 块 {g.blocks.slice(0, 8).join('、')}{g.count > 8 ? ' ……' : ''}</li>)}</ul>
        {f.quarantine.length ? <p class="muted">隔离期中：{f.quarantine.map((q) => q.cidr || q).join('、')}</p> : null}
      </div>
    )}</Loading>
  );
}

function Allocate({ prefix, units, onDone, onCancel }) {
  const [f, setF] = useState({ unit_id: '', hosts: '', description: '' });
  const [error, setError] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    if (!f.unit_id) return setError({ field: 'unit_id', message: '请选择使用单位' });
    const hosts = Number(f.hosts);
    if (!Number.isInteger(hosts) || hosts < 1) return setError({ field: 'hosts', message: '地址数量应为正整数' });
    try {
      await post(`/prefixes/${prefix.id}/allocate`, { unit_id: Number(f.unit_id), hosts, description: f.description || undefined });
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="inline-form" onSubmit={submit} noValidate>
      <h3>从 {prefix.cidr} 分配地址段</h3>
      <Field label="使用单位" name="unit_id" error={error} required>{(p) => (
        <select {...p} value={f.unit_id} onChange={(e) => setF({ ...f, unit_id: e.currentTarget.value })}>
          <option value="">请选择</option>
          {(units || []).map((u) => <option value={u.id}>{u.name}</option>)}
        </select>
      )}</Field>
      <Field label="需要的地址数量" name="hosts" error={error} required hint="IPv4 另加网络、广播和网关地址">{(p) => <input {...p} type="number" min="1" value={f.hosts} onInput={(e) => setF({ ...f, hosts: e.currentTarget.value })} />}</Field>
      <Field label="说明" name="description" error={error}>{(p) => <input {...p} value={f.description} onInput={(e) => setF({ ...f, description: e.currentTarget.value })} />}</Field>
      {error && !['unit_id', 'hosts', 'description'].includes(error.field) ? <ErrorBox error={error} /> : null}
      <div class="buttons"><button type="submit" class="primary">分配</button><button type="button" onClick={onCancel}>取消</button></div>
    </form>
  );
}

const VLAN_FIELDS = ['vid', 'name', 'zone_id', 'unit_id', 'description'];

export function Ipam() {
  const s = useSession();
  const prefixes = useLoad('/prefixes?sort=id', true);
  const vlans = useLoad('/vlans', true);
  const units = useLoad('/units', true);
  const zones = useLoad('/zones', true);
  const status = useValueNames('prefix').status;
  const [form, setForm] = useState(null); // 'zone' | 'prefix' | {allocate: prefix} | {free: id}
  const unit = (id) => units.data?.items.find((u) => u.id === id);
  const write = can(s, 'IPAM_WRITE');
  const done = () => { setForm(null); prefixes.reload(); zones.reload(); vlans.reload(); };
  const zoneOptions = (zones.data?.items || []).map((z) => ({ value: z.id, label: z.name }));
  const unitOptions = (units.data?.items || []).map((u) => ({ value: u.id, label: u.name }));
  const vlanOptions = (vlans.data?.items || []).map((v) => ({ value: v.id, label: `${v.vid} ${v.name}` }));
  const zoneRows = useRowActions({ object: 'zone', names: ['name', 'code', 'description'], url: (z) => `/zones/${z.id}`,
    may: () => write, what: (z) => `区域 ${z.name}`, onChanged: done });
  const vlanRows = useRowActions({ object: 'vlan', names: VLAN_FIELDS, url: (v) => `/vlans/${v.id}`,
    may: () => write, what: (v) => `VLAN ${v.vid}`, onChanged: done, options: { zone_id: zoneOptions, unit_id: unitOptions } });
  const prefixRows = useRowActions({ object: 'prefix', names: ['cidr', 'status', 'zone_id', 'vlan_id', 'unit_id', 'gateway', 'dns', 'description'],
    url: (p) => `/prefixes/${p.id}`, may: () => write, what: (p) => `地址段 ${p.cidr}`, onChanged: done, deleteWord: '释放',
    options: { zone_id: zoneOptions, unit_id: unitOptions, vlan_id: vlanOptions } });
  return (
    <>
      <h1>地址规划</h1>
      {write ? (
        <div class="toolbar">
          <button type="button" onClick={() => setForm('zone')}>登记区域</button>
          <button type="button" onClick={() => setForm('prefix')}>登记地址段</button>
          <button type="button" onClick={() => setForm('vlan')}>登记 VLAN</button>
        </div>
      ) : null}
      {form === 'zone' ? <RecordForm object="zone" names={['name', 'code', 'description']} title="登记区域" submitLabel="登记"
        hints={{ code: '小写字母、数字、下划线或连字符' }} onCancel={() => setForm(null)} onSubmit={async (b) => { await post('/zones', b); done(); }} /> : null}
      {form === 'prefix' ? <RecordForm object="prefix" names={['cidr', 'status', 'zone_id', 'gateway', 'dns', 'description']} title="登记地址段" submitLabel="登记"
        options={{ zone_id: (zones.data?.items || []).map((z) => ({ value: z.id, label: z.name })) }}
        hints={{ cidr: '如 10.80.0.0/16 或 2001:db8::/48' }} onCancel={() => setForm(null)} onSubmit={async (b) => { await post('/prefixes', b); done(); }} /> : null}
      {form === 'vlan' ? <RecordForm object="vlan" names={VLAN_FIELDS} title="登记 VLAN" submitLabel="登记"
        options={{ zone_id: zoneOptions, unit_id: unitOptions }} hints={{ vid: '1 到 4094' }}
        onCancel={() => setForm(null)} onSubmit={async (b) => { await post('/vlans', b); done(); }} /> : null}
      {zoneRows.form}{prefixRows.form}{vlanRows.form}
      {form?.allocate ? <Allocate prefix={form.allocate} units={units.data?.items} onDone={done} onCancel={() => setForm(null)} /> : null}
      {form?.free ? <FreeBlocks id={form.free} /> : null}
      <section aria-labelledby="zones"><h2 id="zones">区域</h2>
        <Loading state={zones}>{(d) => (
          <Table rows={d.items} empty={write ? <>尚未登记区域。地址规划从区域开始（如“公用网络区”）：<button type="button" class="link" onClick={() => setForm('zone')}>登记区域</button></> : '尚未登记区域'} columns={[{ label: '名称', key: 'name' }, { label: '代码', key: 'code' }, { label: '说明', key: 'description' },
            ...(write ? [zoneRows.column] : [])]} />
        )}</Loading>
      </section>
      <section aria-labelledby="prefixes"><h2 id="prefixes">地址段一览</h2>
        <Loading state={prefixes}>{(d) => (
          <Table rows={tree(d.items)} empty={write ? <>尚未登记地址段。为区域登记一个容器（地址池）地址段，批准接入时从中分配：<button type="button" class="link" onClick={() => setForm('prefix')}>登记地址段</button></> : '尚未登记地址段'} columns={[
            { label: '地址段', render: (p) => <span class="cidr" style={{ paddingLeft: `${p.depth * 1.2}em` }}>{p.cidr}</span> },
            { label: '状态', render: (p) => valueName(status, p.status) },
            { label: '使用单位', render: (p) => (p.unit_id ? <Link href={`/units/${p.unit_id}`}>{unit(p.unit_id)?.name || p.unit_id}</Link> : '') },
            { label: '网关', key: 'gateway' },
            { label: '使用率', render: (p) => (
              <span class="bar" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(p.utilisation || 0)} aria-label={`${p.cidr} 使用率`}>
                <span style={{ width: `${Math.min(100, p.utilisation || 0)}%` }} />
                <em>{(p.utilisation || 0).toFixed(1)}%（{p.used}/{p.size}）</em>
              </span>) },
            { label: '操作', render: (p) => (
              <span class="row-actions">
                {p.status === 'container' ? <button type="button" onClick={() => setForm({ free: p.id })} aria-label={`${p.cidr} 空闲块`}>空闲块</button> : null}
                {p.status === 'container' && write ? <button type="button" onClick={() => setForm({ allocate: p })} aria-label={`从 ${p.cidr} 分配`}>分配</button> : null}
                {write ? prefixRows.column.render(p) : null}
              </span>) },
          ]} />
        )}</Loading>
      </section>
      <section aria-labelledby="vlans"><h2 id="vlans">VLAN</h2>
        <Loading state={vlans}>{(d) => (
          <Table rows={d.items} empty="尚未登记 VLAN" columns={[
            { label: 'VLAN', key: 'vid' }, { label: '名称', key: 'name' },
            { label: '使用单位', render: (v) => (v.unit_id ? <Link href={`/units/${v.unit_id}`}>{unit(v.unit_id)?.name || v.unit_id}</Link> : '') },
            { label: '说明', key: 'description' },
            ...(write ? [vlanRows.column] : []),
          ]} />
        )}</Loading>
      </section>
    </>
  );
}
