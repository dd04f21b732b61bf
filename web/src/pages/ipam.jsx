// 地址规划: the prefix tree with utilisation bars, and the VLANs.
import { Link, Loading, Table, useLoad } from '../ui.jsx';

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

const STATUS = { container: '地址池', allocated: '已分配', reserved: '保留', quarantine: '隔离期' };

export function Ipam() {
  const prefixes = useLoad('/prefixes?sort=id', true);
  const vlans = useLoad('/vlans', true);
  const units = useLoad('/units', true);
  const unit = (id) => units.data?.items.find((u) => u.id === id);
  return (
    <>
      <h1>地址规划</h1>
      <section aria-labelledby="prefixes"><h2 id="prefixes">地址段</h2>
        <Loading state={prefixes}>{(d) => (
          <Table rows={tree(d.items)} empty="尚未登记地址段" columns={[
            { label: '地址段', render: (p) => <span class="cidr" style={{ paddingLeft: `${p.depth * 1.2}em` }}>{p.cidr}</span> },
            { label: '状态', render: (p) => STATUS[p.status] || p.status },
            { label: '使用单位', render: (p) => (p.unit_id ? <Link href={`/units/${p.unit_id}`}>{unit(p.unit_id)?.name || p.unit_id}</Link> : '') },
            { label: '网关', key: 'gateway' },
            { label: '使用率', render: (p) => (
              <span class="bar" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(p.utilisation || 0)} aria-label={`${p.cidr} 使用率`}>
                <span style={{ width: `${Math.min(100, p.utilisation || 0)}%` }} />
                <em>{(p.utilisation || 0).toFixed(1)}%（{p.used}/{p.size}）</em>
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
          ]} />
        )}</Loading>
      </section>
    </>
  );
}
