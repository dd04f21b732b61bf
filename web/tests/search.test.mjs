// The search box (issue 16 item 1), in Debian's Chromium against a real zwnet serve: a clerk
// types what they have in hand in the header and goes to the object's page; the page of all
// results groups them by type; a unit's admin finds only its own unit's. What the page shows is
// checked against GET /search and the database, not against fixed text.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Server, axe, browser, login, shot } from './harness.mjs';

let srv;
let b;
let own;
let other;
let names;

before(async () => {
  srv = await Server.start('tongbai');
  b = await browser();
  own = srv.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0].unit_id;
  other = srv.sql(`SELECT id FROM units WHERE id <> ${own} AND status = '已接入' ORDER BY id LIMIT 1`)[0].id;
  names = Object.fromEntries(srv.sql('SELECT id, name FROM units').map((u) => [u.id, u.name]));
  await srv.importCsv('admin', 'terminals', ['MAC 地址,所属单位,终端类型,使用人,IP 地址',
    `02:70:00:00:00:01,${names[own]},计算机,检索用户甲,`,
    `02:70:00:00:00:02,${names[other]},计算机,检索用户乙,`]);
});

after(async () => {
  await b?.close();
  await srv?.stop();
});

test('a MAC typed in the header, in a switch\'s notation, opens its terminal', async () => {
  const page = await login(b, srv, 'admin');
  const box = page.getByRole('combobox', { name: '搜索' });
  await box.fill('0270.0000.0002');
  const list = page.getByRole('listbox', { name: '搜索结果' });
  const first = list.getByRole('option').first();
  await first.waitFor();
  assert.match(await first.innerText(), /终端\s+02:70:00:00:00:02/);
  // the terminal's unit is found with it
  await list.getByRole('option', { name: new RegExp('^单位 ' + names[other]) }).waitFor();
  await shot(page, 'search-box');
  assert.deepEqual(await axe(page), []);
  // the keyboard: down to the first result, Enter opens its page
  await box.press('ArrowDown');
  assert.equal(await box.getAttribute('aria-activedescendant'), await first.getAttribute('id'));
  await box.press('Enter');
  await page.waitForURL(/\/terminals\?mac=02(%3A|:)70/);
  const rows = page.locator('tbody tr');
  await rows.first().getByText('02:70:00:00:00:02').waitFor();
  assert.equal(await rows.count(), 1);
});

test('pinyin initials find a unit, and Enter with nothing chosen opens every result grouped', async () => {
  const page = await login(b, srv, 'admin');
  const box = page.getByRole('combobox', { name: '搜索' });
  await box.fill('cgz');
  const answer = await srv.must('admin', 'GET', '/search?q=cgz');
  const units = answer.results.filter((r) => r.type === 'unit');
  assert.ok(units.length >= 1, 'the demo county has 城关镇 units');
  for (const u of units) assert.match(u.title, /城关镇/);
  await page.getByRole('listbox', { name: '搜索结果' }).getByRole('option', { name: new RegExp(units[0].title) }).waitFor();
  await box.press('Enter');
  await page.waitForURL(/\/search\?q=cgz/);
  await page.getByRole('status').filter({ hasText: `按文字查找“cgz”：找到 ${answer.results.length} 条` }).waitFor();
  const group = page.getByRole('region', { name: '单位' });
  assert.equal(await group.getByRole('link').count(), units.length);
  await group.getByRole('link', { name: units[0].title, exact: true }).click();
  await page.waitForURL(new RegExp(`/units/${units[0].id}$`));
  // back, and the page is the same search
  await page.goBack();
  await page.getByRole('region', { name: '单位' }).waitFor();
  assert.equal(await page.getByRole('searchbox', { name: '查找内容' }).inputValue(), 'cgz');
  assert.deepEqual(await axe(page), []);
});

test("a unit's admin finds its own terminal and nothing of another unit's", async () => {
  const page = await login(b, srv, 'unit');
  const box = page.getByRole('combobox', { name: '搜索' });
  await box.fill('检索用户乙');
  await page.getByRole('listbox', { name: '搜索结果' }).getByText('没有找到“检索用户乙”（按文字查找）').waitFor();
  await box.fill('检索用户甲');
  const opt = page.getByRole('listbox', { name: '搜索结果' }).getByRole('option', { name: /02:70:00:00:00:01/ });
  await opt.waitFor();
  // a query the server refuses says why, in its words
  await page.goto(srv.url + '/search?q=' + encodeURIComponent('测'.repeat(101)));
  await page.getByRole('alert').filter({ hasText: '查找内容不能超过 100 个字符' }).waitFor();
});
