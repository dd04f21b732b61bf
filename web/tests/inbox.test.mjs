// 站内消息 (issue 16 item 3), in Debian's Chromium against a real zwnet serve whose scheduler
// fills the inbox: the header counts the unread notices, a notice opens what it is about and is
// then read, 全部标为已读 empties the count, and the mail choice is saved (and refused, at its
// field, without an address). Counts come from the database, not from fixed numbers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Server, axe, browser, login, shot } from './harness.mjs';

let srv;
let b;
let own;

const unread = (user) => srv.sql(`SELECT count(*) AS n FROM inbox i JOIN users u ON u.id = i.user_id WHERE u.username = '${user}' AND i.read_at = 0`)[0].n;
const today = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);

before(async () => {
  srv = await Server.start('tongbai', { scheduler: 1 });
  b = await browser();
  own = srv.sql("SELECT unit_id FROM users WHERE username = 'unit'")[0].unit_id;
});

after(async () => {
  await b?.close();
  await srv?.stop();
});

async function waitFor(cond, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = cond();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a notice is counted in the header, opens its application and is then read', async () => {
  // the unit files a 安全联系人变更备案 (TB-6): the center's managers are told
  const app = await srv.must('unit', 'POST', '/applications', { kind: 'contact_refile', unit_id: own, contact_name: '赵安全', contact_mobile: '13912345678', changed_on: today() });
  const msg = await waitFor(() => srv.sql(`SELECT i.id, i.title FROM inbox i JOIN users u ON u.id = i.user_id WHERE u.username = 'admin' AND i.subject_type = 'application' AND i.subject_id = ${app.id}`)[0]);
  const n = unread('admin');
  const page = await login(b, srv, 'admin');
  const badge = page.getByRole('link', { name: `站内消息，${n} 条未读` });
  await badge.waitFor();
  await badge.click();
  await page.waitForURL(/\/inbox$/);
  const item = page.getByRole('listitem').filter({ hasText: msg.title });
  await item.first().waitFor();
  await shot(page, 'inbox');
  assert.deepEqual(await axe(page), []);
  await item.first().getByRole('link', { name: '查看事项' }).click();
  await page.waitForURL(new RegExp(`/applications/${app.id}$`));
  assert.ok(srv.sql(`SELECT read_at FROM inbox WHERE id = ${msg.id}`)[0].read_at > 0);
  // none left unread: the badge names no count (what the demo left depends on the time of day:
  // its daily report comes after the backup time)
  await page.getByRole('link', n > 1 ? { name: `站内消息，${n - 1} 条未读` } : { name: '站内消息', exact: true }).waitFor();
});

test('全部标为已读 reads every unread notice and the badge goes', async () => {
  // two more notices for the managers, so that there is something to read whatever the hour
  for (const name of ['钱安全', '孙安全']) {
    await srv.must('unit', 'POST', '/applications', { kind: 'contact_refile', unit_id: own, contact_name: name, contact_mobile: '13912345679', changed_on: today() });
  }
  await waitFor(() => unread('admin') >= 2);
  const page = await login(b, srv, 'admin');
  const n = unread('admin');
  const others = unread('unit');
  await page.goto(srv.url + '/inbox?unread=true');
  await page.getByText(`未读 ${n} 条`).waitFor();
  await page.getByRole('button', { name: '全部标为已读' }).click();
  await page.getByRole('status').filter({ hasText: /已将 \d+ 条消息标为已读/ }).waitFor();
  await page.getByText('没有未读消息').waitFor();
  await page.getByRole('link', { name: '站内消息', exact: true }).waitFor();
  assert.equal(unread('admin'), 0);
  assert.ok(unread('unit') >= others, "another person's notices stay unread");
  assert.equal(await page.getByRole('button', { name: '全部标为已读' }).isDisabled(), true);
});

test('the mail choice is refused at its field without an address, then saved', async () => {
  const page = await login(b, srv, 'unit');
  await page.goto(srv.url + '/inbox');
  const prefs = await srv.must('unit', 'GET', '/session/mail');
  const first = prefs.available[0];
  await page.getByRole('checkbox', { name: first.label }).check();
  await page.getByRole('button', { name: '保存邮件提醒' }).click();
  await page.getByText('选择了邮件提醒，请填写接收邮件的电子邮箱').waitFor();
  assert.equal(srv.sql("SELECT mail_topics FROM users WHERE username = 'unit'")[0].mail_topics, '');
  await page.getByLabel('接收邮件的电子邮箱').fill('wang@unit.example.cn');
  await page.getByRole('button', { name: '保存邮件提醒' }).click();
  await page.getByText('已保存：1 个主题将发邮件到 wang@unit.example.cn。').waitFor();
  const row = srv.sql("SELECT email, mail_topics FROM users WHERE username = 'unit'")[0];
  assert.deepEqual([row.email, row.mail_topics], ['wang@unit.example.cn', first.topic]);
  // reloaded, the page shows what was saved
  await page.reload();
  assert.equal(await page.getByRole('checkbox', { name: first.label }).isChecked(), true);
  assert.equal(await page.getByLabel('接收邮件的电子邮箱').inputValue(), 'wang@unit.example.cn');
  assert.deepEqual(await axe(page), []);
});
