// 审计日志 with the verify button.
import { useState } from 'preact/hooks';
import { get } from '../api.js';
import { time } from '../format.js';
import { ClauseLink, ErrorBox, Loading, Table, useLoad } from '../ui.jsx';

export function Audit() {
  const list = useLoad('/audit?limit=200');
  const [verify, setVerify] = useState(null);
  const [error, setError] = useState(null);
  const check = async () => {
    setError(null);
    setVerify(null);
    try { setVerify(await get('/audit/verify')); } catch (e) { setError(e); }
  };
  return (
    <>
      <h1>审计日志</h1>
      <div class="toolbar">
        <button type="button" onClick={check}>校验日志完整性</button>
        <span aria-live="polite">{verify ? (verify.ok ? `完整：${verify.entries} 条记录的哈希链校验通过` : `发现篡改：第 ${verify.first_bad_id} 条（${verify.reason}）`) : ''}</span>
      </div>
      <ErrorBox error={error} />
      <Loading state={list}>{(d) => (
        <Table rows={d.items} columns={[
          { label: '时间', render: (a) => time(a.at) }, { label: '操作人', key: 'actor' }, { label: '操作', key: 'action' },
          { label: '对象', render: (a) => `${a.object_type} ${a.object_id}` },
          { label: '依据', render: (a) => (a.clause ? <ClauseLink id={a.clause} /> : '') }, { label: '来源', key: 'source' },
        ]} />
      )}</Loading>
    </>
  );
}
