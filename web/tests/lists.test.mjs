// Lists at county scale (issue 16, item 2), in Debian's Chromium against a real zwnet serve:
// 1,203 terminals (the register stopped drawing at 20,000 and drew them all at once before),
// paged by the server with its count, sorted by a column, filtered, the view in the address
// (reload and the back button), exported as the view (CSV and xlsx), axe clean.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Server, axe, browser, login, shot } from './harness.mjs';

let srv;
let b;
const N = 1203;

before(async () => {
  srv = await Server.start('tongbai');
  b = await browser();
  const own = srv.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0].unit_id;
  const other = srv.sql(`SELECT id FROM units WHERE id <> ${own} AND status = '已接入' ORDER BY id LIMIT 1`)[0].id;
  const names = Object.fromEntries(srv.sql('SELECT id, name FROM units').map((u) => [u.id, u.name]));
  const lines = ['MAC 地址,所属单位,终端类型,使用人'];
  for (let i = 0; i < N; i++) {
    const hex = (n) => n.toString(16).padStart(2, '0');
    lines.push(`02:20:00:00:${hex(i >> 8)}:${hex(i & 255)},${names[i % 3 ? other : own]},${i % 5 ? '计算机' : '打印机'},用户${i}`);
  }
  await srv.importCsv('admin', 'terminals', lines);
});

after(async () => {
  await b?.close();
  await srv?.stop();
});

const total = (where = '1') => srv.sql(`SELECT count(*) AS n FROM terminals WHERE ${where}`)[0].n;
const status = (page) => page.getByRole('status').filter({ hasText: /^共/ });
const rows = (page) => page.locator('main table tbody tr');

test('a list pages on the server with its count, sorts by a column and filters, all in the address', async () => {
  const page = await login(b, srv, 'admin');
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '终端', exact: true }).click();
  const all = total();
  await status(page).filter({ hasText: `共 ${all} 条，第 1–50 条` }).waitFor();
  assert.equal(await rows(page).count(), 50);
  // sort by MAC: the server's order, the header says so
  await page.getByRole('button', { name: 'MAC 地址' }).click();
  await page.waitForURL(/sort=mac/);
  const macs = srv.sql('SELECT mac FROM terminals ORDER BY mac LIMIT 2').map((x) => x.mac);
  await rows(page).first().getByRole('cell', { name: macs[0], exact: true }).waitFor();
  assert.equal(await page.locator('th[aria-sort="ascending"]').innerText(), 'MAC 地址 ▲');
  await page.getByRole('button', { name: 'MAC 地址' }).click();
  await page.waitForURL(/sort=-mac/);
  const last = srv.sql('SELECT mac FROM terminals ORDER BY mac DESC LIMIT 1')[0].mac;
  await rows(page).first().getByRole('cell', { name: last, exact: true }).waitFor();
  // a filter from the field table's values; the count follows
  await page.getByLabel('终端类型').selectOption('打印机');
  await page.waitForURL(/kind=/);
  const printers = total("kind = '打印机'");
  await status(page).filter({ hasText: `共 ${printers} 条` }).waitFor();
  // the next page, and back
  await page.getByRole('button', { name: '下一页' }).click();
  await status(page).filter({ hasText: `第 51–100 条` }).waitFor();
  assert.match(page.url(), /cursor=.*p=2|p=2.*cursor=/);
  await page.goBack();
  await status(page).filter({ hasText: `共 ${printers} 条，第 1–50 条` }).waitFor();
  // the address is the view: reloaded, the same filter, sort and page
  await page.getByRole('button', { name: '下一页' }).click();
  await status(page).filter({ hasText: `第 51–100 条` }).waitFor();
  const firstOfPage2 = await rows(page).first().locator('td').first().innerText();
  await page.reload();
  await status(page).filter({ hasText: `共 ${printers} 条，第 51–100 条` }).waitFor();
  assert.equal(await rows(page).first().locator('td').first().innerText(), firstOfPage2);
  assert.equal(await page.getByLabel('终端类型').inputValue(), '打印机');
  // a page size of 200
  await page.getByLabel('每页').selectOption('200');
  await status(page).filter({ hasText: `共 ${printers} 条，第 1–200 条` }).waitFor();
  await shot(page, 'terminals-list');
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('export gives the view on screen, every page of it, as the signed-in user may read it', async () => {
  const page = await login(b, srv, 'admin');
  await page.goto(srv.url + '/terminals?kind=' + encodeURIComponent('计算机') + '&sort=-mac');
  await status(page).waitFor();
  const href = await page.getByRole('link', { name: 'CSV' }).getAttribute('href');
  assert.match(href, /format=csv/);
  assert.doesNotMatch(href, /limit=|cursor=/);
  const text = await page.evaluate(async (h) => (await fetch(h)).text(), href);
  const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.equal(lines.length - 1, total("kind = '计算机'"));
  assert.ok(lines[0].startsWith('编号,MAC 地址,IP 地址,所属单位'), lines[0]);
  const first = srv.sql("SELECT mac FROM terminals WHERE kind = '计算机' ORDER BY mac DESC LIMIT 1")[0].mac;
  assert.ok(lines[1].includes(first), lines[1]);
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Excel' }).click();
  const d = await download;
  assert.match(d.suggestedFilename(), /^终端-\d{4}-\d{2}-\d{2}\.xlsx$/);
  await page.context().close();
  // a unit_admin's export is its own unit's
  const unit = await login(b, srv, 'unit');
  await unit.goto(srv.url + '/terminals');
  await status(unit).waitFor();
  assert.equal(await unit.getByLabel('所属单位').count(), 0); // no unit to choose
  const uh = await unit.getByRole('link', { name: 'CSV' }).getAttribute('href');
  const ut = await unit.evaluate(async (h) => (await fetch(h)).text(), uh);
  const own = srv.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0].unit_id;
  assert.equal(ut.trim().split('\r\n').length - 1, total(`unit_id = ${own}`));
  assert.deepEqual(unit.errors, []);
  await unit.context().close();
});
