// History people can read (issue 16 item 6), in Debian's Chromium against a real zwnet serve: a
// unit's page shows its 变更记录 with the field that changed as 旧 → 新 by the field's label; the
// audit page filters by object, person and day in the address, counts what it selects as the
// database does and exports that view; a unit's admin, who may not read the log, has no such
// section.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Server, axe, browser, login, shot } from './harness.mjs';

let srv;
let b;
let unit;

before(async () => {
  srv = await Server.start('tongbai');
  b = await browser();
  unit = srv.sql("SELECT id, address FROM units WHERE status = '已接入' ORDER BY id LIMIT 1")[0];
  await srv.must('admin', 'PATCH', `/units/${unit.id}`, { address: '城关镇审计路8号' });
});

after(async () => {
  await b?.close();
  await srv?.stop();
});

test("a unit's 变更记录 shows what changed by the field's label", async () => {
  const page = await login(b, srv, 'admin');
  await page.goto(srv.url + `/units/${unit.id}`);
  const hist = page.getByRole('region', { name: '变更记录', exact: true });
  const label = (await srv.must('admin', 'GET', '/schemas')).unit.fields.find((f) => f.name === 'address').label;
  // the field by its label (once the field tables have come)
  const row = hist.getByRole('row').filter({ hasText: '城关镇审计路8号' }).filter({ hasText: `${label}：` });
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, /修改/);
  assert.ok(text.includes(`${label}：${unit.address || '（空）'} → 城关镇审计路8号`), text);
  assert.doesNotMatch(text, /unit\.update|"address"/);
  const total = srv.sql(`SELECT count(*) AS n FROM audit WHERE unit_id = ${unit.id}`)[0].n;
  await hist.getByText(`共 ${total} 条`).waitFor();
  await shot(page, 'unit-history');
  assert.deepEqual(await axe(page), []);
  await hist.getByRole('link', { name: '在审计日志中查看' }).click();
  await page.waitForURL(new RegExp(`/audit\\?unit_id=${unit.id}$`));
  await page.getByRole('status').filter({ hasText: `共 ${total} 条` }).waitFor();
});

test('the audit page filters in the address, counts as the database does and exports the view', async () => {
  const page = await login(b, srv, 'admin');
  await page.goto(srv.url + '/audit');
  const all = srv.sql('SELECT count(*) AS n FROM audit')[0].n;
  await page.getByRole('status').filter({ hasText: new RegExp(`^共 ${all} 条`) }).waitFor();
  await page.getByLabel('对象').selectOption({ label: '单位' });
  await page.waitForURL(/object_type=unit/);
  const units = srv.sql("SELECT count(*) AS n FROM audit WHERE object_type = 'unit'")[0].n;
  await page.getByRole('status').filter({ hasText: new RegExp(`^共 ${units} 条`) }).waitFor();
  // every row of the page names its object and verb in Chinese
  const rows = page.locator('tbody tr');
  for (const t of await rows.allInnerTexts()) assert.doesNotMatch(t, /unit\.(create|update|status)/);
  await page.getByLabel('操作人（用户名）').fill('admin');
  await page.getByLabel('操作人（用户名）').press('Enter');
  await page.waitForURL(/actor=admin/);
  const mine = srv.sql("SELECT count(*) AS n FROM audit WHERE object_type = 'unit' AND actor = 'admin'")[0].n;
  await page.getByRole('status').filter({ hasText: new RegExp(`^共 ${mine} 条`) }).waitFor();
  // today, Beijing time
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  await page.getByLabel('自').fill(today);
  await page.waitForURL(/from=/);
  const since = Math.floor(new Date(`${today}T00:00:00+08:00`).getTime() / 1000);
  const todays = srv.sql(`SELECT count(*) AS n FROM audit WHERE object_type = 'unit' AND actor = 'admin' AND at >= ${since}`)[0].n;
  await page.getByRole('status').filter({ hasText: new RegExp(`^共 ${todays} 条`) }).waitFor();
  // the view survives a reload, and the export is of it
  await page.reload();
  await page.getByRole('status').filter({ hasText: new RegExp(`^共 ${todays} 条`) }).waitFor();
  const href = await page.getByRole('link', { name: 'CSV' }).getAttribute('href');
  const q = new URLSearchParams(href.split('?')[1]);
  assert.deepEqual([q.get('object_type'), q.get('actor'), q.get('format')], ['unit', 'admin', 'csv']);
  const csv = await page.evaluate(async (h) => (await fetch(h)).text(), href);
  assert.equal(csv.trim().split('\n').length, todays + 1);
  assert.deepEqual(await axe(page), []);
});

test("a unit's admin has no 变更记录 and no audit page", async () => {
  const own = srv.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0].unit_id;
  const page = await login(b, srv, 'unit');
  await page.goto(srv.url + `/units/${own}`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.getByRole('heading', { name: '联系人' }).waitFor();
  assert.equal(await page.getByRole('region', { name: '变更记录', exact: true }).count(), 0);
  assert.equal(await page.getByRole('link', { name: '审计日志' }).count(), 0);
});
