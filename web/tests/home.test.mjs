// The home pages (issue 16, items 4 and 9), in Debian's Chromium against a real zwnet serve:
// a unit's home shows what it must do (TB-6: after it edits its 安全联系人 it must re-file, with
// the button that does it), and the center's home counts instead of drawing every row (the
// non-compliant terminals by problem, the first ten with their unit by name).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Server, axe, browser, login, shot } from './harness.mjs';

let srv;
let b;
let own;

before(async () => {
  srv = await Server.start('tongbai');
  b = await browser();
  own = srv.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0].unit_id;
  // terminals without antivirus or patches in two units: more than the ten the panel lists
  const names = Object.fromEntries(srv.sql('SELECT id, name FROM units').map((u) => [u.id, u.name]));
  const other = srv.sql(`SELECT id FROM units WHERE id <> ${own} AND status = '已接入' ORDER BY id LIMIT 1`)[0].id;
  const lines = ['MAC 地址,所属单位,终端类型,使用人'];
  for (let i = 0; i < 25; i++) lines.push(`02:30:00:00:00:${i.toString(16).padStart(2, '0')},${names[i % 2 ? other : own]},计算机,用户${i}`);
  await srv.importCsv('admin', 'terminals', lines);
});

after(async () => {
  await b?.close();
  await srv?.stop();
});

test('a unit that edits its 安全联系人 sees on its home that it must re-file, and the button files it (TB-6)', async () => {
  const contacts = (await srv.must('unit', 'GET', `/units/${own}/contacts`)).items;
  let sec = contacts.find((c) => c.role === '安全联系人');
  if (!sec) sec = await srv.must('unit', 'POST', `/units/${own}/contacts`, { role: '安全联系人', name: '王安全', mobile: '13800138000' });
  else await srv.must('unit', 'PATCH', `/units/${own}/contacts/${sec.id}`, { mobile: '13900139000' });
  const dl = srv.sql(`SELECT id FROM deadlines WHERE subject_type = 'unit' AND subject_id = ${own} AND rule = 'contact_refile' AND status = 'running'`);
  assert.equal(dl.length, 1);
  const prof = await srv.must('unit', 'GET', '/profile');
  const rule = prof.deadlines.find((d) => d.key === 'contact_refile').label;
  const kind = (await srv.must('unit', 'GET', '/schemas')).application_kinds.find((k) => k.kind === 'contact_refile').label;

  const page = await login(b, srv, 'unit');
  const dues = page.getByRole('table', { name: '本单位的时限' });
  const row = dues.getByRole('row').filter({ hasText: rule });
  await row.waitFor();
  assert.match(await row.innerText(), /剩余/);
  assert.doesNotMatch(await row.innerText(), /contact_refile|unit \d/);
  await row.getByRole('link', { name: `提交${kind}` }).click();
  await page.waitForURL(/\/applications\/new\?kind=contact_refile/);
  await shot(page, 'unit-home-refile');
  assert.deepEqual(await axe(page), []);
});

test("the center's home counts the non-compliant terminals by problem and lists ten, by unit name", async () => {
  const all = await srv.must('admin', 'GET', '/terminals/compliance');
  assert.ok(all.items.length > 10, 'the demo and the import give more than ten');
  const top = await srv.must('admin', 'GET', '/terminals/compliance?limit=10');
  assert.equal(top.total, all.items.length);
  assert.equal(top.items.length, 10);
  assert.equal(top.truncated, true);
  assert.deepEqual(top.items, all.items.slice(0, 10));
  for (const [code, n] of Object.entries(top.by_issue)) {
    assert.equal(n, all.items.filter((t) => t.issues.some((x) => x.code === code)).length, code);
  }

  const page = await login(b, srv, 'admin');
  const panel = page.getByRole('region', { name: '不合规终端' });
  await panel.getByText(`共 ${all.items.length} 台，下列前 10 台`).waitFor();
  const rows = panel.locator('tbody tr');
  assert.equal(await rows.count(), 10);
  const names = Object.fromEntries(srv.sql('SELECT id, name FROM units').map((u) => [u.id, u.name]));
  const first = rows.first().locator('td');
  assert.equal(await first.nth(1).innerText(), names[all.items[0].unit_id]);
  assert.equal(await first.nth(2).innerText(), all.items[0].issues.map((x) => x.message).join('；'));
  // the open work as counts linked to its list
  const open = srv.sql("SELECT count(*) AS n FROM findings WHERE status = 'open'")[0].n;
  const work = page.getByRole('region', { name: '待办' });
  await work.getByRole('link', { name: `${open} 条` }).first().waitFor();
  const units = srv.sql("SELECT count(*) AS n FROM units WHERE status = '已接入'")[0].n;
  await page.getByRole('region', { name: '单位接入状态' }).getByRole('link', { name: `${units} 家` }).first().click();
  await page.waitForURL(/\/units\?status=/);
  await page.getByRole('status').filter({ hasText: `共 ${units} 条` }).waitFor();
  await page.goBack();
  await panel.waitFor();
  await shot(page, 'center-home');
  assert.deepEqual(await axe(page), []);
});

test("the manager's home shows the probes as the server judges them and the fullest address pools", async () => {
  // two probes report; one of them then goes quiet for an hour
  const token = (await srv.must('admin', 'POST', '/tokens', { name: 'home-probes', scope: 'probe' })).token;
  for (const probe of ['城关机房', '北部汇聚']) {
    const r = await fetch(srv.url + '/api/v1/observations', {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + token },
      body: JSON.stringify({ probe, observations: [{ kind: 'arp', op: 'reply', at: new Date().toISOString(), mac: '02:31:00:00:00:01', ip: '10.31.0.1' }] }),
    });
    assert.equal(r.status, 202);
  }
  srv.sql(`UPDATE probes SET last_seen = last_seen - 3600 WHERE name = '北部汇聚'`);
  const states = Object.fromEntries((await srv.must('admin', 'GET', '/probes')).items.map((p) => [p.name, p.state]));
  assert.deepEqual([states['城关机房'], states['北部汇聚']], ['正常', '失联']);
  // an address pool with a unit's block in it
  const zone = (await srv.must('admin', 'POST', '/zones', { name: '首页测试区', code: 'home' })).id;
  const pool = await srv.must('admin', 'POST', '/prefixes', { cidr: '10.31.0.0/24', status: 'container', zone_id: zone, description: '首页测试池' });
  await srv.must('admin', 'POST', `/prefixes/${pool.id}/allocate`, { unit_id: own, hosts: 100 });
  const top = (await srv.must('admin', 'GET', '/prefixes?status=container&sort=-utilisation&limit=5')).items;

  const page = await login(b, srv, 'admin');
  const probes = page.getByRole('region', { name: '探针运行状况' });
  await probes.getByText(/失联：北部汇聚（最近上报/).waitFor();
  assert.match(await probes.innerText(), /正常\s*1 台[\s\S]*失联\s*1 台/);
  const use = page.getByRole('region', { name: '地址池使用率' });
  const rows = use.locator('tbody tr');
  await rows.first().waitFor();
  assert.deepEqual(await rows.locator('td:first-child').allInnerTexts(), top.map((p) => p.cidr));
  const mine = use.getByRole('row').filter({ hasText: '10.31.0.0/24' });
  assert.match(await mine.innerText(), new RegExp(`${top.find((p) => p.id === pool.id).utilisation.toFixed(1)}%`));
  assert.deepEqual(await axe(page), []);
  await shot(page, 'center-home-probes');
  // the carrier's home has neither
  const c = await login(b, srv, 'carrier');
  await c.getByRole('heading', { name: '首页', level: 1 }).waitFor();
  assert.equal(await c.getByRole('region', { name: '探针运行状况' }).count(), 0);
  for (const p of [page, c]) assert.deepEqual(p.errors, []);
});

test('the menu is grouped by the work, and on a phone the title stays on one line', async () => {
  const page = await login(b, srv, 'admin');
  const nav = page.getByRole('navigation', { name: '主菜单' });
  const groups = await nav.locator('.nav-group h2').allInnerTexts();
  assert.deepEqual(groups, ['登记', '接入与变更', '地址', '监测与处置', '运维', '安全管理', '系统']);
  const group = (name) => nav.getByRole('list', { name });
  assert.deepEqual(await group('地址').getByRole('link').allInnerTexts(), ['地址规划', '主机地址']);
  assert.deepEqual(await group('监测与处置').getByRole('link').allInnerTexts(), ['监测发现', '违规处理', '探针与断网']);
  // a carrier has no 监测与处置 and no 安全管理
  const c = await login(b, srv, 'carrier');
  const cg = await c.getByRole('navigation', { name: '主菜单' }).locator('.nav-group h2').allInnerTexts();
  assert.ok(!cg.includes('监测与处置') && !cg.includes('安全管理'), cg.join(' '));
  // ... and 运维: its fault tickets
  assert.ok(cg.includes('运维'), cg.join(' '));
  // an auditor reads no ticket: no 运维
  const a = await login(b, srv, 'auditor');
  const ag = await a.getByRole('navigation', { name: '主菜单' }).locator('.nav-group h2').allInnerTexts();
  assert.ok(!ag.includes('运维'), ag.join(' '));
  // a phone: the brand is one line high
  const p = await login(b, srv, 'unit', { width: 390, height: 844 });
  const brand = await p.locator('.top .brand').boundingBox();
  const line = await p.locator('.top .brand').evaluate((e) => parseFloat(getComputedStyle(e).lineHeight) || 1.5 * parseFloat(getComputedStyle(e).fontSize));
  assert.ok(brand.height <= line * 1.2, `title ${brand.height}px high, a line is ${line}px`);
  await shot(p, 'phone-home');
});
