// 表格导入 in a real browser: a township's terminal register as the office keeps it
// (tests/data/sheets/make.py) is checked, read as understood and imported; a sheet with
// problems shows each at its cell, refuses the whole import and takes the good rows only,
// handing back the refused rows as a workbook.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, Server, axe, browser, login, shot } from './harness.mjs';

let srv;
let b;
let dir;

before(async () => {
  srv = await Server.start('tongbai');
  b = await browser();
  dir = mkdtempSync(join(tmpdir(), 'sheets-'));
  execFileSync('/usr/bin/python3', [join(ROOT, 'tests/data/sheets/make.py'), dir]);
  const gz = (u) => srv.sql(`SELECT id FROM units WHERE short_name = '${u}'`)[0].id;
  await srv.must('admin', 'POST', '/prefixes', { cidr: '10.61.36.0/24', status: 'active', unit_id: gz('城关镇') }, 201);
  await srv.must('admin', 'POST', '/prefixes', { cidr: '10.61.37.0/24', status: 'active', unit_id: gz('城郊乡') }, 201);
});

after(async () => {
  await b?.close();
  await srv?.stop();
});

test('a township register is checked, shown as understood and imported', async () => {
  const m = await login(b, srv, 'admin');
  await m.goto(srv.url + '/');
  await m.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '表格导入' }).click();
  await m.getByRole('heading', { name: '表格导入' }).waitFor();
  await m.getByLabel('表格内容').selectOption({ label: '终端' });
  const tpl = await m.getByRole('link', { name: '下载终端导入模板' }).getAttribute('href');
  const got = await m.evaluate((u) => fetch(u).then((r) => r.headers.get('content-type')), tpl);
  assert.match(got, /spreadsheetml/);
  await m.getByLabel('选择文件').setInputFiles(join(dir, 'township_terminals.xlsx'));
  const before = srv.sql('SELECT count(*) AS n FROM terminals')[0].n;
  await m.getByRole('button', { name: '预检' }).click();
  const status = m.getByRole('region', { name: '检查结果' }).getByRole('status');
  await status.waitFor();
  assert.match(await status.textContent(), /工作表“终端登记表”，表头在第 3 行；共 5 行数据，5 行无问题/);
  await m.getByText('第 1 行（标题）“桐柏县政务外网终端登记表”', { exact: false }).waitFor();
  await m.getByText('A 列“序号”', { exact: false }).waitFor();
  await m.getByRole('cell', { name: '台式机', exact: true }).waitFor();
  assert.equal(srv.sql('SELECT count(*) AS n FROM terminals')[0].n, before); // a check writes nothing
  assert.equal(await m.getByRole('button', { name: '只导入无问题的行' }).isDisabled(), true);
  await axe(m);
  await shot(m, 'imports-preview');
  await m.getByRole('button', { name: '确认导入' }).click();
  await m.getByText('已导入 5 行终端', { exact: false }).waitFor();
  assert.equal(srv.sql('SELECT count(*) AS n FROM terminals')[0].n, before + 5);
  // the console names each POST (Idempotency-Key): a resend after a lost answer is not a
  // second import; the server kept this one's answer under the key the browser sent
  const kept = srv.sql("SELECT key, status FROM idempotency WHERE status = 201");
  assert.equal(kept.length, 1);
  assert.match(kept[0].key, /^[0-9a-f]{32}$/);
  assert.deepEqual(m.errors, []);
  await m.context().close();
});

test('problems at their cells: the whole import is refused, the good rows go in alone', async () => {
  const m = await login(b, srv, 'admin');
  await m.goto(srv.url + '/imports');
  await m.getByLabel('表格内容').selectOption({ label: '终端' });
  await m.getByLabel('选择文件').setInputFiles(join(dir, 'problems.xlsx'));
  await m.getByRole('button', { name: '预检' }).click();
  await m.getByRole('cell', { name: 'B3', exact: true }).waitFor();
  const row = m.getByRole('row').filter({ has: m.getByRole('cell', { name: 'B3', exact: true }) });
  assert.match(await row.textContent(), /与本文件第 2 行重复/);
  assert.equal(await m.getByRole('button', { name: '确认导入' }).isDisabled(), true);
  const before = srv.sql('SELECT count(*) AS n FROM terminals')[0].n;
  await m.getByRole('button', { name: '只导入无问题的行' }).click();
  const link = m.getByRole('link', { name: '下载未导入的行（含“问题”列）' });
  await link.waitFor();
  assert.equal(srv.sql('SELECT count(*) AS n FROM terminals')[0].n, before + 2);
  const [dl] = await Promise.all([m.waitForEvent('download'), link.click()]);
  assert.match(dl.suggestedFilename(), /未导入\.xlsx$/);
  await shot(m, 'imports-refused');
  await m.context().close();
});
