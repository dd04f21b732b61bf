// Forms a clerk can trust (issue 16 item 11), in Debian's Chromium against a real zwnet serve:
// every problem of a form is shown at once, each at its field; and a session that ends while
// someone types asks for the password in place, keeps what was typed and then takes the step
// that was asked for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axe, login, shot, useServer } from './harness.mjs';

const t = useServer('tongbai');

test("all of a form's problems at once, each at its field, and each gone as it is put right", async () => {
  const { srv, b } = await t.ready();
  const page = await login(b, srv, 'admin');
  await page.goto(srv.url + '/units');
  await page.getByRole('button', { name: '登记单位' }).click();
  const form = page.locator('form', { has: page.getByRole('heading', { name: '登记单位' }) });
  await form.getByRole('button', { name: '登记' }).click();
  const required = (await srv.must('admin', 'GET', '/schemas')).unit.fields.filter((f) => f.required).map((f) => f.label);
  assert.ok(required.length >= 3, required.join(' '));
  await form.getByRole('alert').filter({ hasText: `有 ${required.length} 处需要修改` }).waitFor();
  const invalid = form.locator('.field.invalid label');
  assert.deepEqual((await invalid.allInnerTexts()).map((t) => t.replace(/\s*\*$/, '')), required);
  // focus is on the first of them
  assert.equal(await page.evaluate(() => document.activeElement.name), 'name');
  await form.getByLabel('单位名称').fill('桐柏县表单测试局');
  assert.equal(await invalid.count(), required.length - 1);
  assert.deepEqual(await axe(page), []);
  await shot(page, 'form-all-errors');
  assert.equal(srv.sql("SELECT count(*) AS n FROM units WHERE name = '桐柏县表单测试局'")[0].n, 0);
  await page.context().close();
});

test('a session that ends while typing: sign in again in place, nothing typed is lost, the step is taken', async () => {
  const { srv, b } = await t.ready();
  const page = await login(b, srv, 'admin');
  await page.goto(srv.url + '/units');
  await page.getByRole('button', { name: '登记单位' }).click();
  const form = page.locator('form', { has: page.getByRole('heading', { name: '登记单位' }) });
  await form.getByLabel('单位名称').fill('桐柏县过期测试局');
  await form.getByLabel('单位类型').selectOption({ index: 1 });
  await form.getByLabel('单位层级').selectOption({ index: 1 });
  await form.getByLabel('办公地址').fill('城关镇过期路9号');
  // the session ends on the server (it expired, or was ended elsewhere)
  srv.sql('UPDATE sessions SET expires_at = 0');
  await form.getByRole('button', { name: '登记' }).click();
  const dialog = page.getByRole('dialog', { name: '登录已过期' });
  await dialog.waitFor();
  assert.equal(srv.sql("SELECT count(*) AS n FROM units WHERE name = '桐柏县过期测试局'")[0].n, 0);
  assert.equal(await page.evaluate(() => document.activeElement.type), 'password');
  // a wrong password is said in the dialog; the form behind it is untouched
  await dialog.getByLabel('密码').fill('wrong-password1');
  await dialog.getByRole('button', { name: '登录并继续' }).click();
  await dialog.locator('.field.invalid').waitFor();
  assert.equal(await form.getByLabel('办公地址').inputValue(), '城关镇过期路9号');
  assert.deepEqual(await axe(page), []);
  await shot(page, 'session-expired');
  await dialog.getByLabel('密码').fill('Demo2026zw');
  await dialog.getByRole('button', { name: '登录并继续' }).click();
  await dialog.waitFor({ state: 'detached' });
  // the registration that found the session gone was sent again, once
  await page.getByRole('heading', { name: '登记单位' }).waitFor({ state: 'detached' });
  assert.deepEqual(srv.sql("SELECT address FROM units WHERE name = '桐柏县过期测试局'"), [{ address: '城关镇过期路9号' }]);
  // the failed login and the 401 before it are what this test provoked
  assert.ok(page.errors.every((e) => /status of 401/.test(e)), page.errors.join('\n'));
  await page.context().close();
});

test('a session about to end says so first, and signing in again from the warning keeps the page', async () => {
  const { srv, b } = await t.ready();
  const page = await login(b, srv, 'admin');
  // two minutes left of the session; the console reads its end with the session (a reload)
  srv.sql("UPDATE sessions SET expires_at = CAST(strftime('%s', 'now') AS INTEGER) + 120");
  await page.goto(srv.url + '/units');
  const warning = page.getByRole('alert').filter({ hasText: '登录将于' });
  await warning.waitFor();
  await page.getByRole('button', { name: '登记单位' }).click();
  const form = page.locator('form', { has: page.getByRole('heading', { name: '登记单位' }) });
  await form.getByLabel('单位名称').fill('桐柏县预警测试局');
  await warning.getByRole('button', { name: '现在重新登录' }).click();
  const dialog = page.getByRole('dialog', { name: '登录已过期' });
  await dialog.getByLabel('密码').fill('Demo2026zw');
  await dialog.getByRole('button', { name: '登录并继续' }).click();
  await dialog.waitFor({ state: 'detached' });
  // a new session of the full length: no warning, and the form as it was
  await warning.waitFor({ state: 'detached' });
  assert.equal(await form.getByLabel('单位名称').inputValue(), '桐柏县预警测试局');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
