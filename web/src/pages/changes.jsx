// 变更管理: changes to systems and network devices (SS-24), approved once they carry what the
// county's regulation requires (emergency measures, a rollback plan), then carried out or
// rolled back.
import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { time } from '../format.js';
import { RecordForm } from '../form.jsx';
import { ListView } from '../list.jsx';
import { useValueNames, valueName } from '../schema.js';
import { Badge, ClauseLink, Clauses, Link, Loading, can, useLoad, useSession, useUnitNames } from '../ui.jsx';
import { CaseStep, CaseSteps, textArea } from '../steps.jsx';
import { CaseEvents, History } from '../history.jsx';
import { navigate } from '../router.js';

const STATE_KIND = { submitted: 'amber', approved: 'blue', rejected: 'red', done: 'green', rolled_back: 'amber', cancelled: 'grey' };
const stateBadge = (names, state) => <Badge kind={STATE_KIND[state]}>{valueName(names.state, state)}</Badge>;

export function Changes({ path }) {
  const s = useSession();
  const unit = useUnitNames();
  const names = useValueNames('change');
  const units = useLoad(can(s, 'CHANGE_WRITE') && s.role !== 'unit_admin' ? '/units' : null, true);
  const [adding, setAdding] = useState(false);
  return (
    <>
      <h1>变更管理</h1>
      {adding ? (
        <RecordForm object="change" title="登记变更" submitLabel="提交" focus
          names={['unit_id', 'kind', 'subject', 'description', 'emergency_measures', 'rollback_plan', 'planned_at']}
          initial={s.role === 'unit_admin' ? { unit_id: s.unit_id } : {}}
          options={{ unit_id: (units.data?.items || []).map((u) => ({ value: u.id, label: u.name })) }}
          hints={{ rollback_plan: '变更失败时如何恢复原状；本县办法要求的，须具备后方可批准' }}
          onCancel={() => setAdding(false)}
          onSubmit={async (b) => { const c = await post('/changes', b); navigate(`/changes/${c.id}`); }} />
      ) : null}
      <ListView path={path} base="/changes" api="/changes" object="change" caption="变更记录列表" defaultSort="-planned_at"
        filters={['state', 'kind']} empty="没有变更记录"
        toolbar={can(s, 'CHANGE_WRITE') && !adding ? <button type="button" class="primary" onClick={() => setAdding(true)}>登记变更</button> : null}
        columns={[
          { key: 'id', label: '编号', render: (c) => <Link href={`/changes/${c.id}`}>{c.id}</Link> },
          { key: 'unit_id', render: (c) => unit(c.unit_id) },
          { key: 'kind', render: (c) => valueName(names.kind, c.kind) },
          { key: 'subject' },
          { key: 'planned_at', render: (c) => time(c.planned_at) },
          { key: 'state', render: (c) => stateBadge(names, c.state) },
        ]} />
    </>
  );
}

const TEXTS = { emergency_measures: '应急措施', rollback_plan: '回退方案' };
// revise asks for the two texts as they stand; carrying out and rolling back, for the outcome
const stepFields = (c, action) => (action === 'revise'
  ? Object.entries(TEXTS).map(([name, label]) => ({ name, label, initial: c[name], control: textArea }))
  : []);
const stepReason = (a) => (a.action === 'revise' ? null : a.action === 'execute' || a.action === 'roll_back' ? '实施结果' : a.reason ? '理由' : null);

// What the county's regulation wants before approval and the record lacks, in words.
function Missing({ x, profile }) {
  const cc = profile?.change_control;
  const lack = x.state === 'submitted' && cc ? cc.requires.filter((k) => !x[k]) : [];
  if (!lack.length) return null;
  return <p class="warning" role="note">依据 <Clauses list={cc.clauses} />，变更须制定{lack.map((k) => TEXTS[k]).join('和')}后方可批准。</p>;
}

export function ChangeDetail({ id }) {
  const c = useLoad(`/changes/${id}`);
  const profile = useLoad('/profile');
  const unit = useUnitNames();
  const names = useValueNames('change');
  return (
    <Loading state={c}>{(x) => (
      <>
        <h1>变更记录 {x.id}：{x.subject}</h1>
        <dl class="facts">
          <dt>状态</dt><dd>{stateBadge(names, x.state)}</dd>
          <dt>单位</dt><dd><Link href={`/units/${x.unit_id}`}>{unit(x.unit_id)}</Link></dd>
          <dt>变更对象</dt><dd>{valueName(names.kind, x.kind)}：{x.subject}</dd>
          <dt>计划实施时间</dt><dd>{time(x.planned_at)}</dd>
          <dt>变更内容</dt><dd>{x.description}</dd>
          <dt>应急措施</dt><dd>{x.emergency_measures || '（未制定）'}</dd>
          <dt>回退方案</dt><dd>{x.rollback_plan || '（未制定）'}</dd>
          {x.clause ? <><dt>依据条款</dt><dd><ClauseLink id={x.clause} /></dd></> : null}
          {x.outcome ? <><dt>实施结果</dt><dd>{x.outcome}（{time(x.executed_at)}）</dd></> : null}
        </dl>
        <Missing x={x} profile={profile.data} />
        <CaseSteps x={x}>{(a) => (
          <CaseStep key={`${x.rev}-${a.action}`} url={`/changes/${x.id}/transitions`} rec={x} a={a} what="变更记录"
            fields={stepFields(x, a.action)} reason={stepReason(a)} onDone={c.reload} />
        )}</CaseSteps>
        <CaseEvents events={x.events} names={names} />
        <History type="change" id={x.id} />
      </>
    )}</Loading>
  );
}
