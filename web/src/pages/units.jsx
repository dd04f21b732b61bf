// 使用单位: the list with status filter, and one unit with its contacts, agreements, status
// history and archive.
import { useState } from 'preact/hooks';
import { api, post, upload } from '../api.js';
import { RecordForm, useRowActions } from '../form.jsx';
import { day, time } from '../format.js';
import { ListView } from '../list.jsx';
import { navigate } from '../router.js';
import { ClauseLink, ErrorBox, Field, FileUpload, Link, Loading, Table, UnitStatus, can, useLoad, useSession } from '../ui.jsx';
import { History } from '../history.jsx';

const UNIT_FIELDS = ['name', 'short_name', 'type', 'level', 'address', 'note'];
const CONTACT_FIELDS = ['role', 'name', 'post', 'mobile', 'email'];

export function Units({ path }) {
  const s = useSession();
  const [adding, setAdding] = useState(false);
  return (
    <>
      <h1>使用单位</h1>
      {adding ? (
        <RecordForm object="unit" names={UNIT_FIELDS} title="登记单位" submitLabel="登记" focus onCancel={() => setAdding(false)}
          onSubmit={async (body) => { const u = await post('/units', body); navigate(`/units/${u.id}`); }} />
      ) : null}
      <ListView path={path} base="/units" api="/units" object="unit" caption="使用单位列表" searchLabel="查找单位"
        filters={['status', 'type', 'level']} empty="尚未登记使用单位"
        toolbar={can(s, 'UNIT_CREATE') && !adding ? <button type="button" class="primary" onClick={() => setAdding(true)}>登记单位</button> : null}
        columns={[
          { key: 'name', render: (u) => <Link href={`/units/${u.id}`}>{u.name}</Link> },
          'type', 'level',
          { key: 'status', render: (u) => <UnitStatus status={u.status} /> },
          'connected_on',
        ]} />
    </>
  );
}

// The agreements of the profile a unit signs.
const unitKinds = (profile) => (profile?.agreements || []).filter((k) => k.party === 'unit');

function StatusChange({ unit, onDone }) {
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState(null);
  // the moves the server offers this user now (the unit workflow's table)
  const options = unit.actions || [];
  if (!options.length) return null;
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    try {
      await post(`/units/${unit.id}/status`, { status: to, reason });
      setTo('');
      setReason('');
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="inline-form" onSubmit={submit} noValidate>
      <h3>变更接入状态</h3>
      <Field label="变更为" name="status" error={error} required>{(p) => (
        <select {...p} value={to} onChange={(e) => setTo(e.currentTarget.value)}>
          <option value="">请选择</option>
          {options.map((a) => <option value={a.to}>{a.to}</option>)}
        </select>
      )}</Field>
      <Field label="原因" name="reason" error={error} required={!!options.find((a) => a.to === to)?.reason}>{(p) => <input {...p} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}</Field>
      {error && !['status', 'reason'].includes(error.field) ? <ErrorBox error={error} /> : null}
      <button type="submit">确认变更</button>
    </form>
  );
}

function ScanUpload({ unitId, agreement, onDone }) {
  return (
    <FileUpload label={`${agreement.scan_name ? '更换扫描件' : '上传扫描件'}（PDF、PNG、JPEG）`}
      accept="application/pdf,image/png,image/jpeg" onDone={onDone}
      send={(file) => upload(`/units/${unitId}/agreements/${agreement.id}/scan?filename=${encodeURIComponent(file.name)}`, file)} />
  );
}

export function UnitDetail({ id }) {
  const s = useSession();
  const uid = Number(id);
  const [editing, setEditing] = useState(false);
  const [addContact, setAddContact] = useState(false);
  const [addAgreement, setAddAgreement] = useState(false);
  const unit = useLoad(`/units/${uid}`);
  const contacts = useLoad(can(s, 'CONTACT_READ', uid) ? `/units/${uid}/contacts` : null);
  const agreements = useLoad(can(s, 'AGREEMENT_READ', uid) ? `/units/${uid}/agreements` : null);
  const history = useLoad(`/units/${uid}/history`);
  const profile = useLoad('/profile');
  const items = (d) => (Array.isArray(d) ? d : d?.items || []);
  const contactRows = useRowActions({ object: 'contact', names: CONTACT_FIELDS, url: (c) => `/units/${uid}/contacts/${c.id}`,
    may: () => can(s, 'CONTACT_WRITE', uid), what: (c) => `联系人 ${c.name}`, onChanged: contacts.reload });
  const agreementRows = useRowActions({ object: 'agreement', names: ['kind', 'signed_on', 'signatories'], url: (a) => `/units/${uid}/agreements/${a.id}`,
    may: () => can(s, 'AGREEMENT_WRITE', uid), what: (a) => a.name, onChanged: agreements.reload,
    options: { kind: unitKinds(profile.data).map((k) => ({ value: k.key, label: k.name })) } });
  return (
    <Loading state={unit}>{(u) => (
      <>
        <h1>{u.name}</h1>
        <dl class="facts">
          <dt>接入状态</dt><dd><UnitStatus status={u.status} />{u.status_clause ? <> 依据 <ClauseLink id={u.status_clause} /></> : null}</dd>
          <dt>单位类型</dt><dd>{u.type}（{u.level}）</dd>
          <dt>办公地址</dt><dd>{u.address}</dd>
          <dt>接入日期</dt><dd>{day(u.connected_on) || '—'}</dd>
        </dl>
        <p class="actions">
          <a href={`/api/v1/units/${u.id}/archive?format=html`} target="_blank" rel="noopener">单位档案（打印）</a>
          {can(s, 'APPLICATION_SUBMIT', u.id) ? <Link class="button" href={`/applications/new?unit_id=${u.id}`}>提交申请</Link> : null}
        </p>
        {can(s, 'UNIT_UPDATE', u.id) && !editing ? <p><button type="button" onClick={() => setEditing(true)}>修改单位信息</button></p> : null}
        {editing ? (
          <RecordForm object="unit" names={UNIT_FIELDS} initial={u} creating={false} title="修改单位信息" onCancel={() => setEditing(false)}
            onSubmit={async (body) => { await api('PATCH', `/units/${u.id}`, body); setEditing(false); unit.reload(); }} />
        ) : null}
        <StatusChange key={u.rev} unit={u} onDone={() => { unit.reload(); history.reload(); }} />
        {contacts.data ? (
          <section aria-labelledby="contacts"><h2 id="contacts">联系人</h2>
            <Table rows={items(contacts.data)} empty="未登记联系人" columns={[
              { label: '角色', key: 'role' }, { label: '姓名', key: 'name' }, { label: '职务', key: 'post' },
              { label: '手机号码', key: 'mobile' }, { label: '电子邮箱', key: 'email' },
              ...(can(s, 'CONTACT_WRITE', u.id) ? [contactRows.column] : []),
            ]} />
            {contactRows.form}
            {can(s, 'CONTACT_WRITE', u.id) && !addContact ? <p><button type="button" onClick={() => setAddContact(true)}>添加联系人</button></p> : null}
            {addContact ? (
              <RecordForm object="contact" names={CONTACT_FIELDS} title="添加联系人" submitLabel="添加"
                onCancel={() => setAddContact(false)}
                onSubmit={async (body) => { await post(`/units/${u.id}/contacts`, body); setAddContact(false); contacts.reload(); }} />
            ) : null}
          </section>
        ) : null}
        {agreements.data ? (
          <section aria-labelledby="agreements"><h2 id="agreements">签订的协议</h2>
            <Table rows={items(agreements.data)} empty="未登记协议" columns={[
              { label: '协议', key: 'name' }, { label: '签订日期', render: (a) => day(a.signed_on) },
              { label: '签署人', key: 'signatories' },
              { label: '扫描件', render: (a) => (
                <>
                  {a.scan_name ? <a href={`/api/v1/units/${u.id}/agreements/${a.id}/scan`} target="_blank" rel="noopener">{a.scan_name}</a> : '未上传'}
                  {can(s, 'AGREEMENT_WRITE', u.id) ? <> <ScanUpload unitId={u.id} agreement={a} onDone={() => agreements.reload()} /></> : null}
                </>) },
              ...(can(s, 'AGREEMENT_WRITE', u.id) ? [agreementRows.column] : []),
            ]} />
            {agreementRows.form}
            {can(s, 'AGREEMENT_WRITE', u.id) && !addAgreement && unitKinds(profile.data).length ? <p><button type="button" onClick={() => setAddAgreement(true)}>登记协议</button></p> : null}
            {addAgreement ? (
              <RecordForm object="agreement" names={['kind', 'signed_on', 'signatories']} title="登记签订的协议" submitLabel="登记"
                options={{ kind: unitKinds(profile.data).map((k) => ({ value: k.key, label: `${k.name}（${k.clauses.join('、')}）` })) }}
                onCancel={() => setAddAgreement(false)}
                onSubmit={async (body) => { await post(`/units/${u.id}/agreements`, body); setAddAgreement(false); agreements.reload(); }} />
            ) : null}
            {(profile.data?.agreements || []).filter((k) => k.template).length ? (
              <p>协议文本（按办法范本填好本单位）：{profile.data.agreements.filter((k) => k.template).map((k) => (
                <> <a href={`/api/v1/units/${u.id}/agreement-documents/${k.key}`} target="_blank" rel="noopener">{k.name}</a>
                  （<a href={`/api/v1/units/${u.id}/agreement-documents/${k.key}?format=pdf`}>PDF</a>）</>
              ))}</p>
            ) : null}
          </section>
        ) : null}
        <section aria-labelledby="history"><h2 id="history">状态变更记录</h2>
          <Loading state={history}>{(d) => (
            <Table rows={items(d).map((h, i) => ({ id: i, ...h }))} empty="无" columns={[
              { label: '时间', render: (h) => time(h.at) }, { label: '从', key: 'from' }, { label: '到', key: 'to' },
              { label: '原因', key: 'reason' }, { label: '依据', render: (h) => (h.clause ? <ClauseLink id={h.clause} /> : '') },
              { label: '操作人', key: 'actor' },
            ]} />
          )}</Loading>
        </section>
        <History type="unit" id={uid} />
      </>
    )}</Loading>
  );
}
