// Change records in the console (SS-24), in Debian's Chromium against a real zwnet serve under
// 嵊泗's profile: a unit records a system change without a rollback plan, the manager is not offered
// approval and is told why, citing SS-24, the unit completes it, the manager approves, the unit records the
// outcome.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { axe, login, shot, useServer } from './harness.mjs';

const t = useServer('shengsi');
let srv;
let b;

before(async () => {
  ({ srv, b } = await t.ready());
});

test('a change is approved only with its emergency measures and rollback plan', async () => {
  const u = await login(b, srv, 'unit');
  await u.goto(`${srv.url}/changes`);
  await u.getByRole('button', { name: '登记变更' }).click();
  const form = u.locator('form.form');
  await form.getByLabel('变更对象类别').selectOption({ label: '信息系统' });
  await form.getByRole('textbox', { name: '变更对象' }).fill('OA 办公系统');
  await form.getByLabel('变更内容').fill('升级到 5.0 版');
  await form.getByLabel('应急措施').fill('升级前全量备份');
  const later = new Date(Date.now() + 86400e3);
  await form.getByLabel('计划实施时间').fill(new Date(later - later.getTimezoneOffset() * 60000).toISOString().slice(0, 16));
  await form.getByRole('button', { name: '提交' }).click();
  await u.getByRole('heading', { name: /变更记录 \d+：OA 办公系统/ }).waitFor();
  const id = Number(u.url().split('/').pop());
  assert.ok((await u.locator('dl.facts').innerText()).includes('（未制定）'));
  assert.deepEqual(await axe(u), []);

  const m = await login(b, srv, 'admin');
  await m.goto(`${srv.url}/changes/${id}`);
  // approval is not offered: the page says what is missing and the clause
  await m.getByRole('note').filter({ hasText: '变更须制定回退方案后方可批准' }).waitFor();
  assert.ok((await m.getByRole('note').innerText()).includes('SS-24'));
  assert.equal(await m.getByRole('button', { name: '批准', exact: true }).count(), 0);
  await shot(m, 'change-missing-plan');

  await u.reload();
  await u.getByRole('button', { name: '补充应急措施和回退方案' }).click();
  await u.getByRole('textbox', { name: '回退方案' }).fill('切回旧版本服务器并恢复备份');
  await u.getByRole('button', { name: '确认补充应急措施和回退方案' }).click();
  await u.getByText('切回旧版本服务器并恢复备份').waitFor();

  await m.reload();
  await m.getByRole('button', { name: '批准', exact: true }).click();
  await m.getByText('已批准').first().waitFor();

  await u.reload();
  await u.getByRole('button', { name: '已实施' }).click();
  await u.getByLabel('实施结果').fill('升级完成，运行正常');
  await u.getByRole('button', { name: '确认已实施' }).click();
  await u.getByText('升级完成，运行正常').first().waitFor();
  const steps = await u.getByRole('table', { name: '办理经过' }).innerText();
  for (const want of ['提交', '补充应急措施和回退方案', '批准', '已实施', 'SS-24']) assert.ok(steps.includes(want), `${want} in ${steps}`);
  assert.deepEqual(u.errors, []);
  assert.deepEqual(m.errors, []);
  for (const p of [u, m]) await p.context().close();
});
