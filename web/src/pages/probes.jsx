// 探针与断网: the state of the wire — probes, their last reports, and the enforcers.
import { time } from '../format.js';
import { useVocab, valueName } from '../schema.js';
import { Badge, Link, Loading, Table, can, useLoad, useSession } from '../ui.jsx';

const fresh = (iso) => Date.now() - new Date(iso).getTime() < 5 * 60 * 1000;

// A probe's state as the server judges it (state_code), by colour.
export const PROBE_STATE = { ok: 'green', warning: 'amber', silent: 'red' };

export function Probes() {
  const s = useSession();
  const probes = useLoad('/probes', true);
  const enf = useLoad(can(s, 'ENFORCEMENT_READ') ? '/enforcement?detail=1' : null);
  const kinds = useVocab('isolation_kinds');
  return (
    <>
      <h1>探针与断网</h1>
      <Loading state={probes}>{(d) => (
        <Table caption="探针" rows={d.items} empty={<>还没有探针上报。在 <Link href="/tokens">API 令牌</Link> 中为探针签发令牌，页面会给出在监测点启动 zwnet probe 的命令。</>} columns={[
          { label: '名称', key: 'name' },
          { label: '状况', render: (p) => <Badge kind={PROBE_STATE[p.state_code]}>{p.state}</Badge> },
          { label: '最近上报', render: (p) => time(p.last_seen) },
          { label: '来源', key: 'source' },
          { label: '观测数', key: 'observations' },
          { label: '发现数', key: 'findings' },
          { label: '待重传 / 丢弃', render: (p) => `${p.spooled} / ${p.dropped}` },
          { label: '租约（当前 / 过期）', render: (p) => (p.leases === null || p.leases === undefined ? '' : `${p.leases} / ${p.expired_leases}`) },
          { label: '提示', key: 'warning' },
        ]} />
      )}</Loading>
      {enf.data || enf.loading || enf.error ? (
        <Loading state={enf}>{(e) => (
          <>
            <Table caption={`断网执行器（目标版本 ${e.generation}）`} rows={e.enforcers.map((x) => ({ ...x, id: x.name }))} empty="还没有执行器上报" columns={[
              { label: '名称', key: 'name' },
              { label: '状况', render: (x) => (x.ok && x.generation === e.generation && fresh(x.last_seen) ? <Badge kind="green">已同步</Badge> : <Badge kind="red">{x.ok ? '未同步' : '出错'}</Badge>) },
              { label: '最近上报', render: (x) => time(x.last_seen) },
              { label: '已应用版本', key: 'generation' },
              { label: '已下发', render: (x) => Object.entries(x.applied).map(([k, n]) => `${k} ${n}`).join('，') },
              { label: '错误', key: 'error' },
            ]} />
            <Table caption="生效中的隔离" rows={e.entries.map((x, i) => ({ ...x, id: i }))} empty="当前没有隔离" columns={[
              { label: '类型', render: (x) => valueName(kinds, x.kind) },
              { label: '值', key: 'value' },
              { label: '单位', key: 'unit_name' },
              { label: '依据', render: (x) => (x.violation_id ? <Link href={`/violations/${x.violation_id}`}>违规事项 {x.violation_id}</Link> : <Link href={`/units/${x.unit_id}`}>单位状态</Link>) },
              { label: '理由', render: (x) => `${x.reason}${x.clause ? `（${x.clause}）` : ''}` },
              { label: '开始', render: (x) => time(x.since) },
            ]} />
            <p class="muted">隔离后仍可访问：{[...e.sets.allow4, ...e.sets.allow6].join('、') || '（未设置）'}</p>
          </>
        )}</Loading>
      ) : null}
    </>
  );
}
