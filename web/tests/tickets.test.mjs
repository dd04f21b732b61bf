// Fault tickets in the console (issue 17), in Debian's Chromium against a real zwnet serve: a
// unit reports a line fault, the manager dispatches it to the line's carrier, whose staff see
// it in their queue with the repair clock and respond, pause for a reason of the profile only,
// and repair it; the unit confirms. Another carrier's staff never see it.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { axe, login, shot, useServer } from './harness.mjs';

const t = useServer('tongbai');
let srv;
let b;

before(async () => {
  ({ srv, b } = await t.ready());
  const unicom = srv.sql("SELECT id FROM carriers WHERE name LIKE '中国联合%'")[0].id;
  await srv.must('admin', 'POST', '/users', { username: 'unicom', role: 'carrier', carrier_id: unicom, display_name: '联通装维', password: 'Demo2026zw' });
});

test('report, dispatch, the carrier\'s queue with its clock, pause, repair, confirm', async () => {
  const u = await login(b, srv, 'unit');
  await u.goto(`${srv.url}/tickets`);
  await u.getByRole('button', { name: '报修', exact: true }).click();
  await u.getByRole('textbox', { name: '故障现象' }).fill('全楼无法访问政务外网');
  await u.getByRole('button', { name: '报修', exact: true }).last().click();
  await u.getByRole('heading', { name: /故障工单 \d+：全楼无法访问政务外网/ }).waitFor();
  const id = Number(u.url().split('/').pop());
  const facts = await u.locator('dl.facts').innerText();
  for (const want of ['待派单', '县直单位', 'TB-12', '响应', '修复']) assert.ok(facts.includes(want), `${want} in ${facts}`);
  assert.deepEqual(await axe(u), []);
  await shot(u, 'ticket-reported');

  const m = await login(b, srv, 'admin');
  await m.goto(`${srv.url}/tickets/${id}`);
  await m.getByRole('button', { name: '派单' }).click();
  await m.getByRole('button', { name: '确认派单' }).click();
  await m.getByText('已派单').first().waitFor();

  const c = await login(b, srv, 'carrier');
  await c.goto(`${srv.url}/tickets`);
  const row = c.getByRole('row').filter({ has: c.getByRole('link', { name: String(id), exact: true }) });
  await row.waitFor();
  await c.getByRole('columnheader', { name: '报修单位' }).waitFor();
  await row.getByText('已派单').waitFor();
  assert.match(await row.innerText(), /剩余 1 小时 \d+ 分（TB-12）/); // the repair clock in the queue
  await shot(c, 'ticket-carrier-queue');
  await row.getByRole('link', { name: String(id), exact: true }).click();
  await c.getByRole('button', { name: '响应' }).click();
  await c.getByRole('button', { name: '暂停计时' }).waitFor();
  await c.getByRole('button', { name: '暂停计时' }).click();
  const reasons = await c.getByLabel('暂停事由').locator('option').allInnerTexts();
  assert.deepEqual(reasons, ['请选择', '使用单位不具备进场条件', '使用单位停电']);
  await c.getByLabel('暂停事由').selectOption({ label: '使用单位不具备进场条件' });
  await c.getByLabel('理由').fill('机房钥匙在外出人员处');
  await c.getByRole('button', { name: '确认暂停计时' }).click();
  await c.getByText('暂停计时（使用单位不具备进场条件）').waitFor();
  await c.getByRole('button', { name: '恢复计时' }).click();
  await c.getByRole('button', { name: '修复完成' }).click();
  await c.getByLabel('故障原因及处理情况').fill('光猫电源适配器损坏，已更换');
  await c.getByRole('button', { name: '确认修复完成' }).click();
  await c.getByText('已修复').first().waitFor();
  // the month's report: the carrier's own row, the repair done in time
  await c.goto(`${srv.url}/tickets`);
  const sla = c.getByRole('region', { name: '履约情况' });
  await sla.getByRole('cell', { name: '县直单位' }).waitFor();
  const report = await sla.innerText();
  for (const want of ['中国电信', '县直单位', 'TB-12', '1 完成，0 超时', '时限 2 小时']) assert.ok(report.includes(want), `${want} in ${report}`);
  assert.ok(!report.includes('中国联合'), report);
  assert.deepEqual(await axe(c), []);
  assert.deepEqual(c.errors, []);

  // the other carrier never sees it
  const other = await login(b, srv, 'unicom');
  await other.goto(`${srv.url}/tickets`);
  await other.getByRole('heading', { name: '故障工单', level: 1 }).waitFor();
  await other.getByText('没有符合条件的故障工单').waitFor();

  await u.goto(`${srv.url}/tickets/${id}`);
  await u.getByRole('button', { name: '确认修复' }).click();
  await u.getByRole('button', { name: /^确认/ }).last().click();
  // the status badge can change before the steps table is read again: wait for the step itself
  const table = u.getByRole('table', { name: '处理经过' });
  await table.getByRole('cell', { name: '确认修复', exact: true }).waitFor();
  const steps = await table.innerText();
  for (const want of ['报修', '派单', '响应', '暂停计时', '恢复计时', '修复完成', '确认修复', '光猫电源适配器损坏']) assert.ok(steps.includes(want), `${want} in ${steps}`);
  assert.deepEqual(u.errors, []);
  for (const p of [u, m, c, other]) await p.context().close();
});

test('a carrier files a planned interruption: too late is refused citing TB-12, in time the manager agrees', async () => {
  const local = (ms) => new Date(ms - new Date(ms).getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  const c = await login(b, srv, 'carrier');
  await c.goto(`${srv.url}/maintenance`);
  await c.getByRole('button', { name: '报备停机维护' }).click();
  const form = c.getByRole('form', { name: '报备停机维护' });
  await form.getByText('须至少提前 2 小时报备').waitFor();
  const fill = async (lead) => {
    await form.getByLabel('中断开始时间').fill(local(Date.now() + lead));
    await form.getByLabel('中断结束时间').fill(local(Date.now() + lead + 3600e3));
  };
  await fill(3600e3);
  await form.getByLabel('运维作业内容').fill('汇聚交换机割接');
  await form.getByLabel('受影响的单位').selectOption({ label: '中共桐柏县委员会办公室' });
  await form.getByRole('button', { name: '报备' }).click();
  await form.getByText(/依据TB-12，因运维作业需要中断网络的，应至少提前 2 小时报管理单位/).waitFor();
  assert.deepEqual(await axe(c), []);
  await fill(3 * 3600e3);
  await form.getByRole('button', { name: '报备' }).click();
  await c.getByRole('heading', { name: /停机维护通知 \d+：汇聚交换机割接/ }).waitFor();
  const id = Number(c.url().split('/').pop());
  assert.ok((await c.locator('dl.facts').innerText()).includes('待同意'));
  assert.equal(await c.getByRole('button', { name: '同意', exact: true }).count(), 0); // not the carrier's to agree
  const m = await login(b, srv, 'admin');
  await m.goto(`${srv.url}/maintenance/${id}`);
  await m.getByRole('button', { name: '同意', exact: true }).click();
  await m.getByText('已同意').first().waitFor();
  await shot(m, 'maintenance-agreed');
  // the one refusal the carrier was shown is the only error its page logged
  assert.deepEqual(c.errors.filter((e) => !e.includes('422')), []);
  assert.deepEqual(m.errors, []);
  for (const p of [c, m]) await p.context().close();
});
