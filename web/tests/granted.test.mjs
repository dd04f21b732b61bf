// Applications show what was granted (issue 16 item 5), in Debian's Chromium against a real
// zwnet serve: on a fresh install the approval points to 地址规划 instead of an empty list; once
// there is a plan, the approved application shows its zone, subnet, gateway, VLAN and carrier,
// and the carrier's queue shows the subnet and the VLAN it is to connect.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { axe, login, shot, useServer } from './harness.mjs';

const t = useServer('tongbai');
let srv;
let b;
let aid;

before(async () => {
  ({ srv, b } = await t.ready());
  const unit = (await srv.must('admin', 'POST', '/units', { name: '桐柏县分配测试局', type: '党政机关', level: '县直' })).id;
  aid = (await srv.must('admin', 'POST', '/applications', {
    kind: 'access', unit_id: unit, user_type: '党政机关', address: '城关镇分配路1号', admin_name: '周网管',
    admin_mobile: '13800000031', tech_name: '吴技术', tech_mobile: '13800000032', ip_count: 20, bandwidth_mbps: 50,
    purpose: '公文流转' })).id;
});

test('a fresh install: the approval says to make the address plan first, and links to it', async () => {
  assert.equal(srv.sql('SELECT count(*) AS n FROM zones')[0].n, 0);
  const m = await login(b, srv, 'admin');
  await m.goto(`${srv.url}/applications/${aid}`);
  const hint = m.getByRole('note').filter({ hasText: '尚未建立地址规划' });
  await hint.waitFor();
  assert.equal(await m.getByLabel('分配区域').count(), 0);
  assert.deepEqual(await axe(m), []);
  await shot(m, 'approve-no-plan');
  await hint.getByRole('link', { name: '地址规划' }).click();
  await m.getByRole('heading', { name: '地址规划', level: 1 }).waitFor();
  assert.deepEqual(m.errors, []);
  await m.context().close();
});

test('the approved application and the carrier\'s queue show the subnet, gateway, VLAN and carrier', async () => {
  const zone = (await srv.must('admin', 'POST', '/zones', { name: '公用网络区', code: 'pub' })).id;
  await srv.must('admin', 'POST', '/prefixes', { cidr: '10.77.0.0/16', status: 'container', zone_id: zone });
  await srv.must('admin', 'POST', '/carriers', { name: '中国移动桐柏分公司', service_phone: '10086' });
  const m = await login(b, srv, 'admin');
  await m.goto(`${srv.url}/applications/${aid}`);
  await m.getByLabel('分配区域').selectOption({ label: '公用网络区' });
  await m.getByLabel('实施的网络运营商').selectOption({ label: '中国移动桐柏分公司' });
  await m.getByRole('button', { name: '批准' }).click();
  const granted = m.getByRole('region', { name: '分配结果' });
  await granted.waitFor();
  const row = srv.sql(`SELECT p.id, p.cidr, v.vid FROM applications a JOIN prefixes p ON p.id = a.prefix_id
    JOIN vlans v ON v.id = a.vlan_id WHERE a.id = ${aid}`)[0];
  const text = await granted.innerText();
  for (const want of ['公用网络区', row.cidr, `${row.vid}`, '中国移动桐柏分公司', '10086', '（未登记）']) assert.ok(text.includes(want), `${want} in ${text}`);
  await shot(m, 'application-granted');
  // a gateway registered afterwards shows where it was missing
  const gw = row.cidr.split('/')[0].replace(/\d+$/, (d) => String(Number(d) + 1));
  await srv.must('admin', 'PATCH', `/prefixes/${row.id}`, { gateway: gw });
  const c = await login(b, srv, 'carrier');
  await c.goto(`${srv.url}/applications?status=实施中`);
  const line = c.getByRole('row').filter({ has: c.getByRole('link', { name: String(aid), exact: true }) });
  await line.waitFor();
  assert.match(await line.innerText(), new RegExp(`${row.cidr.replace(/\./g, '\\.')} · VLAN ${row.vid} · 中国移动桐柏分公司`));
  await line.getByRole('link', { name: String(aid), exact: true }).click();
  await c.getByRole('region', { name: '分配结果' }).getByText(gw, { exact: true }).waitFor();
  // the carrier's home: how the implementation deadlines stand, counted by the server
  await c.goto(srv.url + '/');
  const sla = c.getByRole('region', { name: '实施时限履行情况' });
  const label = (await srv.must('carrier', 'GET', '/profile')).deadlines.find((d) => d.key === 'access_implement').label;
  const running = srv.sql("SELECT count(*) AS n FROM deadlines WHERE rule = 'access_implement' AND status = 'running'")[0].n;
  assert.ok(running >= 1);
  const slaRow = sla.getByRole('row').filter({ hasText: label });
  await slaRow.getByRole('link', { name: `${running} 条` }).waitFor();
  assert.deepEqual(await axe(c), []);
  for (const p of [m, c]) assert.deepEqual(p.errors, []);
  for (const p of [m, c]) await p.context().close();
});
