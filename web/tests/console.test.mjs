// The console in a real browser (Debian's Chromium, headless) against a real zwnet serve:
// the roles' home pages, the access application from submission to connection, what a role
// may not do, accessibility of every page, screenshots of the main pages (tests/out/web).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Server, axe, browser, login, shot } from './harness.mjs';

let srv;
let b;

before(async () => {
  srv = await Server.start('tongbai');
  b = await browser();
});

after(async () => {
  await b?.close();
  await srv?.stop();
});

const ROLES = [
  ['admin', '县行政审批和政务信息管理局'],
  ['ops', null],
  ['carrier', null],
  ['unit', null],
  ['inspector', null],
  ['auditor', null],
];

describe('log in and out', () => {
  for (const [user] of ROLES) {
    test(`${user} logs in, sees a home page and a menu for the role, logs out`, async () => {
      const page = await login(b, srv, user);
      const me = (await srv.as(user, 'GET', '/session')).json;
      await page.getByText(me.role_label, { exact: false }).first().waitFor();
      const menu = await page.getByRole('navigation', { name: '主菜单' }).getByRole('link').allTextContents();
      assert.ok(menu.includes('首页'));
      // the menu offers exactly what the role's permissions allow
      assert.equal(menu.includes('审计日志'), me.permissions.AUDIT_READ !== 'none', menu.join());
      assert.equal(menu.includes('申请审批'), me.permissions.APPLICATION_READ !== 'none', menu.join());
      await shot(page, `home-${user}`);
      await page.getByRole('button', { name: '退出' }).click();
      await page.getByRole('button', { name: '登录' }).waitFor();
      // the session is gone on the server too
      const r = await page.evaluate(() => fetch('/api/v1/session').then((x) => x.status));
      assert.equal(r, 401);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }

  test('a wrong password is refused with the message, in Chinese', async () => {
    const ctx = await b.newContext();
    const page = await ctx.newPage();
    await page.goto(srv.url + '/');
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.equal(await alert.textContent(), '用户名或密码不正确');
    // shown at the password field, which is marked invalid
    assert.equal(await page.getByLabel('密码').getAttribute('aria-invalid'), 'true');
    await ctx.close();
  });
});

describe('an access application from submission to connection (TB-13)', () => {
  let unit;
  let zone;
  before(async () => {
    zone = (await srv.must('admin', 'POST', '/zones', { name: '公用网络区', code: 'pub' })).id;
    await srv.must('admin', 'POST', '/prefixes', { cidr: '10.66.0.0/16', status: 'container', zone_id: zone });
    const telecom = (await srv.must('admin', 'POST', '/carriers', { name: '中国电信桐柏分公司' })).id;
    unit = (await srv.must('admin', 'POST', '/units', { name: '桐柏县浏览器测试局', type: '党政机关', level: '县直', address: '城关镇测试路1号' })).id;
    await srv.must('admin', 'POST', '/users', { username: 'newunit', role: 'unit_admin', unit_id: unit, display_name: '测试局网管', password: 'Demo2026zw' });
    await srv.must('admin', 'POST', '/users', { username: 'carrier2', role: 'carrier', carrier_id: telecom, display_name: '电信装维', password: 'Demo2026zw' });
  });

  test('the unit submits, the manager approves, the carrier completes, the unit is connected', async () => {
    // 1. the unit's administrator fills in 附件1; a wrong mobile number is shown at the field
    const u = await login(b, srv, 'newunit');
    await u.getByRole('link', { name: '提交申请' }).click();
    await u.getByRole('heading', { name: '提交申请' }).waitFor();
    await u.getByLabel('申请类型').locator('option[value="access"]').waitFor({ state: 'attached' });
    assert.equal(await u.getByLabel('申请类型').inputValue(), 'access');
    await u.getByLabel('党政机关').check();
    await u.getByLabel('办公地址').fill('城关镇测试路1号');
    await u.getByLabel('网络管理员姓名').fill('赵网管');
    await u.getByLabel('网络管理员手机号码').fill('1380000');
    await u.getByLabel('技术联系人姓名').fill('钱技术');
    await u.getByLabel('技术联系人手机号码').fill('13900000002');
    await u.getByLabel('IP数量').fill('40');
    await u.getByLabel('带宽（Mbps）').fill('100');
    await u.getByLabel('网络用途').fill('公文流转');
    await u.getByRole('button', { name: '提交申请' }).click();
    // checked in the browser with the server's rules: nothing is sent
    const err = u.locator('.field.invalid .field-error');
    await err.waitFor();
    assert.equal(await err.textContent(), '网络管理员手机号码应为 11 位大陆手机号码');
    assert.equal(srv.sql(`SELECT count(*) AS n FROM applications WHERE unit_id = ${unit}`)[0].n, 0);
    await u.getByLabel('网络管理员手机号码').fill('13800000001');
    await u.getByRole('button', { name: '提交申请' }).click();
    await u.getByRole('heading', { name: /接入申请 \d+/ }).waitFor();
    const aid = Number((await u.getByRole('heading', { name: /接入申请 \d+/ }).textContent()).match(/\d+/)[0]);
    await u.getByText('待管理单位审核').waitFor();
    // the review deadline counts down, citing the clause
    // by the county's calendar, as the server counts it: three working days at submission
    assert.match(await u.locator('.deadline').first().textContent(), /剩余 3 个工作日（TB-13）/);
    // the unit may not approve: no button is offered, and the server refuses anyway
    assert.equal(await u.getByRole('button', { name: '批准' }).count(), 0);
    const refused = await u.evaluate(async (id) => {
      const s = await (await fetch('/api/v1/session')).json();
      const r = await fetch(`/api/v1/applications/${id}/transitions`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token },
        body: JSON.stringify({ action: 'approve' }) });
      return r.status;
    }, aid);
    assert.equal(refused, 403);
    await shot(u, 'application-submitted');

    // 2. the manager approves: the subnet and the VLAN are allocated
    const m = await login(b, srv, 'admin');
    // the list shows the application waiting with its review deadline
    await m.goto(`${srv.url}/applications`);
    const row = m.getByRole('row').filter({ has: m.getByRole('link', { name: String(aid), exact: true }) });
    assert.match(await row.locator('.deadline').textContent(), /剩余 .*TB-13/);
    await m.goto(`${srv.url}/applications/${aid}`);
    await m.getByLabel('分配区域').selectOption({ label: '公用网络区' });
    await m.getByLabel('实施的网络运营商').selectOption({ label: '中国电信桐柏分公司' });
    await m.getByLabel(/审核意见/).fill('材料齐全，同意接入');
    await m.getByRole('button', { name: '批准' }).click();
    await m.getByText('实施中', { exact: true }).first().waitFor();
    const cidr = srv.sql(`SELECT p.cidr FROM prefixes p JOIN applications a ON a.prefix_id = p.id WHERE a.id = ${aid}`)[0].cidr;
    assert.match(cidr, /^10\.66\.\d+\.\d+\/26$/);
    await m.getByRole('link', { name: '地址规划' }).click();
    await m.getByText(cidr).waitFor();
    await shot(m, 'ipam-after-approval');

    // 3. the carrier completes the work
    const c = await login(b, srv, 'carrier2');
    await c.goto(`${srv.url}/applications/${aid}`);
    await c.getByRole('button', { name: '实施完成' }).click();
    // it cannot be undone: the console says what it does and asks first; Esc goes back
    const ask = c.getByRole('alertdialog', { name: '确认实施完成' });
    assert.match(await ask.innerText(), /实施完成后，该申请将变为“已办结”，此操作不能撤销/);
    assert.equal(await c.evaluate(() => document.activeElement.textContent), '取消');
    await c.keyboard.press('Escape');
    await ask.waitFor({ state: 'detached' });
    assert.equal(srv.sql(`SELECT status FROM applications WHERE id = ${aid}`)[0].status, '实施中');
    await c.getByRole('button', { name: '实施完成' }).click();
    await ask.getByRole('button', { name: '确认实施完成' }).click();
    await c.getByText('已办结', { exact: true }).first().waitFor();

    // 4. the unit is connected
    await u.goto(`${srv.url}/units/${unit}`);
    await u.locator('dl.facts').getByText('已接入').waitFor();
    await shot(u, 'unit-connected');
    // the unit's page saw exactly the refusal this test provoked
    assert.deepEqual(u.errors.map((e) => e.match(/status of (\d+)/)?.[1]), ['403']);
    for (const p of [m, c]) assert.deepEqual(p.errors, []);
    for (const p of [u, m, c]) await p.context().close();
  });
});

describe('eyes and hands on the wire: findings, violations, probes (TB-9, TB-13)', () => {
  let token;
  let unitId;
  let vid;
  const STRANGER = '00:16:3e:77:00:50';
  const ROUTER = 'd0:37:45:77:00:60'; // TP-LINK TECHNOLOGIES CO.,LTD.
  before(async () => {
    unitId = (await srv.as('unit', 'GET', '/session')).json.unit_id;
    await srv.must('admin', 'POST', '/prefixes', { cidr: '10.77.0.0/16', status: 'container' });
    await srv.must('admin', 'POST', '/prefixes', { cidr: '10.77.1.0/24', status: 'active', unit_id: unitId });
    token = (await srv.must('admin', 'POST', '/tokens', { name: 'gw-web', scope: 'probe enforcer' })).token;
    const obs = [
      { kind: 'arp', op: 'reply', at: '2026-11-24T08:00:00Z', mac: STRANGER, ip: '10.77.1.50' },
      { kind: 'arp', op: 'reply', at: '2026-11-24T08:00:01Z', mac: '00:16:3e:77:00:99', ip: '192.0.2.99' },
      // a TP-Link nobody registered (a maker hint to review), and a host on no unit's address
      { kind: 'arp', op: 'reply', at: '2026-11-24T08:00:02Z', mac: ROUTER, ip: '10.77.1.60' },
      { kind: 'arp', op: 'reply', at: '2026-11-24T08:00:03Z', mac: '00:16:3e:77:00:98', ip: '192.0.2.98' },
    ];
    const r = await fetch(srv.url + '/api/v1/observations', {
      method: 'POST', headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ probe: 'gw-web', observations: obs }),
    });
    assert.equal(r.status, 202);
    vid = srv.sql(`SELECT id FROM violations WHERE mac = '${STRANGER}'`)[0].id;
  });

  test('the manager handles a case: notify, escalate with a reason, isolate the terminal, rectify, verify, reconnect', async () => {
    const m = await login(b, srv, 'admin');
    await m.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '违规处理' }).click();
    const row = m.getByRole('row').filter({ has: m.getByRole('link', { name: String(vid), exact: true }) });
    // states by the server's names (GET /schemas), offered by them in the filter too
    await row.getByText('待处理', { exact: true }).waitFor();
    await m.getByLabel('状态').selectOption({ label: '已取消入网资格' });
    await m.getByText('没有符合条件的违规事项').waitFor();
    await m.getByLabel('状态').selectOption({ label: '待处理' });
    await row.getByRole('link', { name: String(vid), exact: true }).click();
    await m.getByRole('heading', { name: `违规事项 ${vid}：未经审核私自接入政务外网` }).waitFor();
    const facts = m.locator('dl.facts');
    await facts.getByText('待处理', { exact: true }).waitFor();
    await facts.getByText('责成其进行整改', { exact: false }).waitFor();
    await m.getByRole('button', { name: '通知单位' }).click();
    await facts.getByText('已通知', { exact: true }).waitFor();
    // escalation needs a reason: the error is at the field
    await m.getByRole('button', { name: '升级处理' }).click();
    await m.getByRole('button', { name: '确认升级处理' }).click();
    assert.equal(await m.locator('.field.invalid .field-error').textContent(), '升级处理须说明理由');
    await m.getByLabel('理由').fill('私接设备造成环路，严重影响网络');
    await m.getByRole('button', { name: '确认升级处理' }).click();
    await facts.getByText('立即断开县政务外网连接', { exact: false }).waitFor();
    // a unit rung: the manager may still cut only the terminal
    await m.getByRole('button', { name: '断网' }).click();
    await m.getByLabel('断网范围').selectOption('terminal');
    await m.getByRole('button', { name: '确认断网' }).click();
    await facts.getByText('已断网', { exact: true }).waitFor();
    const iso = m.getByRole('table', { name: '断网隔离' });
    await iso.getByRole('cell', { name: STRANGER }).waitFor();
    await iso.getByRole('cell', { name: '10.77.1.50' }).waitFor();
    await iso.getByRole('cell', { name: 'MAC 地址', exact: true }).waitFor();
    await m.getByText('华为', { exact: false }).first().waitFor();
    await m.getByRole('link', { name: '断网' }).first().waitFor(); // the switch ACLs
    await m.getByRole('button', { name: '责令限期整改' }).click();
    await facts.locator('.deadline').waitFor();
    assert.match(await facts.locator('.deadline').textContent(), /TB-9/);
    await m.getByRole('button', { name: '核实整改' }).click();
    await m.getByLabel('理由').fill('已拆除私接设备，现场核实');
    await m.getByRole('button', { name: '确认核实整改' }).click();
    await facts.getByText('已核实整改', { exact: true }).waitFor();
    await m.getByRole('button', { name: '恢复接入' }).click();
    await facts.getByText('已恢复接入', { exact: true }).waitFor();
    assert.equal(await iso.getByRole('cell', { name: '生效中' }).count(), 0);
    const steps = await m.getByRole('table', { name: '处理经过' }).locator('tbody tr td:nth-child(2)').allTextContents();
    assert.deepEqual(steps, ['立案', '通知单位', '升级处理', '断网', '责令限期整改', '核实整改', '恢复接入']);
    // each step's reason is its own: a form's text never carries over into the next step
    const reasons = await m.getByRole('table', { name: '处理经过' }).locator('tbody tr td:nth-child(6)').allTextContents();
    assert.deepEqual(reasons, ['', '', '私接设备造成环路，严重影响网络', '', '', '已拆除私接设备，现场核实', '']);
    assert.equal(await facts.getByText('已断网）').count(), 0);
    await shot(m, 'violation');
    // the one refusal this test provoked (no reason for the escalation), nothing else
    assert.deepEqual(m.errors.map((e) => e.match(/status of (\d+)/)?.[1]), ['400']);
    await m.context().close();

    // the unit's administrator sees the case and its steps, and may take none
    const u = await login(b, srv, 'unit');
    await u.goto(`${srv.url}/violations/${vid}`);
    await u.locator('dl.facts').getByText('已恢复接入', { exact: true }).waitFor();
    assert.equal(await u.getByRole('group', { name: '可执行的操作' }).count(), 0);
    assert.deepEqual(u.errors, []);
    await u.context().close();
  });

  test('a case is opened from a finding: behaviours by name, the finding\'s unit, MAC and IP kept', async () => {
    const m = await login(b, srv, 'admin');
    // a maker hint: the county forbids its behaviour, so it is chosen, by its name
    const hint = srv.sql(`SELECT id FROM findings WHERE kind = 'router_maker' AND mac = '${ROUTER}'`)[0].id;
    await m.goto(`${srv.url}/findings/${hint}`);
    await m.getByRole('button', { name: '立案处理' }).click();
    const beh = m.getByLabel('违规行为（本县办法的禁止行为）');
    assert.equal(await beh.locator('option:checked').textContent(), '在县政务外网上搭建无线设备');
    await m.getByRole('button', { name: '确认立案' }).click();
    await m.getByRole('heading', { name: /^违规事项 \d+：在县政务外网上搭建无线设备$/ }).waitFor();
    const facts = m.locator('dl.facts');
    await facts.getByText(`${ROUTER} / 10.77.1.60`).waitFor();
    await facts.getByText(`监测发现 ${hint}（`, { exact: false }).first().waitFor();
    // a finding on no unit's address whose behaviour the county does not list: both asked for
    const other = srv.sql("SELECT id FROM findings WHERE kind = 'outside' AND ip = '192.0.2.98'")[0].id;
    await m.goto(`${srv.url}/findings/${other}`);
    await m.getByRole('button', { name: '立案处理' }).click();
    assert.equal(await beh.locator('option:checked').textContent(), '请选择');
    await m.getByRole('button', { name: '确认立案' }).click();
    const err = await m.locator('.field.invalid .field-error').textContent();
    assert.match(err, /单位/);
    assert.doesNotMatch(err, /[a-z]_[a-z]/); // no internal code in what the manager reads
    await m.getByLabel('违规单位').selectOption({ index: 1 });
    await m.getByRole('button', { name: '确认立案' }).click();
    assert.doesNotMatch(await m.locator('.field.invalid .field-error').textContent(), /[a-z]_[a-z]/);
    await beh.selectOption({ label: '未经审核私自接入政务外网' });
    await m.getByRole('button', { name: '确认立案' }).click();
    await m.getByRole('heading', { name: /^违规事项 \d+：未经审核私自接入政务外网$/ }).waitFor();
    await facts.getByText('00:16:3e:77:00:98 / 192.0.2.98').waitFor();
    assert.deepEqual(m.errors.map((e) => e.match(/status of (\d+)/)?.[1]), ['400', '422']);
    await m.context().close();
  });

  test('a finding on no unit\'s address is dismissed with a reason; the probes page shows probe and enforcer', async () => {
    const m = await login(b, srv, 'admin');
    await m.goto(srv.url + '/findings');
    const row = m.getByRole('row').filter({ hasText: '192.0.2.99' }).first();
    await row.getByText('待处理', { exact: true }).waitFor();
    await row.getByRole('link').first().click();
    await m.getByRole('heading', { name: /^监测发现 \d+：/ }).waitFor();
    await m.getByRole('table', { name: '证据（最近的观测）' }).getByRole('cell', { name: 'gw-web' }).first().waitFor();
    await m.getByRole('button', { name: '排除' }).click();
    await m.getByRole('button', { name: '确认排除' }).click();
    await m.locator('.field.invalid .field-error').waitFor();
    await m.getByLabel('排除理由').fill('运营商的测试设备');
    await m.getByRole('button', { name: '确认排除' }).click();
    await m.locator('dl.facts').getByText('已排除', { exact: true }).waitFor();

    const gen = (await srv.must('admin', 'GET', '/enforcement')).generation;
    const r = await fetch(srv.url + '/api/v1/enforcement/report', {
      method: 'POST', headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'gw-nft', generation: gen, ok: true, applied: { ip4: 0, mac: 0 } }),
    });
    assert.equal(r.status, 202);
    await m.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '探针与断网' }).click();
    const probes = m.getByRole('table', { name: '探针' });
    await probes.getByRole('row').filter({ hasText: 'gw-web' }).getByText('正常').waitFor();
    const enf = m.getByRole('table', { name: /^断网执行器/ });
    await enf.getByRole('row').filter({ hasText: 'gw-nft' }).getByText('已同步').waitFor();
    await shot(m, 'probes');
    assert.deepEqual(m.errors.map((e) => e.match(/status of (\d+)/)?.[1]), ['400']);
    await m.context().close();
  });
});

describe('accessibility and layout', () => {
  const PAGES = ['/', '/units', '/units/1', '/applications', '/applications/new', '/applications/new?kind=port', '/applications/1', '/ipam', '/addresses', '/terminals', '/devices', '/lines', '/carriers', '/deadlines', '/calendar', '/audit', '/users', '/profile', '/account', '/tokens', '/findings', '/findings/1', '/violations', '/violations/1', '/probes', '/imports'];
  const sweep = async (page, paths, found) => {
    for (const path of paths) {
      await page.goto(srv.url + path);
      await page.locator('main h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      const v = await axe(page);
      if (v.length) found[path] = v;
    }
  };

  test('every page has no serious or critical axe-core violation', async () => {
    const page = await login(b, srv, 'admin');
    const found = {};
    await sweep(page, PAGES, found);
    // an edit form open in a list
    await page.goto(srv.url + '/carriers');
    await page.getByRole('button', { name: /^修改运营商/ }).first().click();
    await page.getByRole('heading', { name: /^修改运营商/ }).waitFor();
    const v = await axe(page);
    if (v.length) found['/carriers (修改)'] = v;
    assert.deepEqual(found, {});
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('each other role\'s pages, as that role sees them, have none either', async () => {
    const found = {};
    for (const role of ['unit', 'carrier', 'inspector', 'auditor']) {
      const page = await login(b, srv, role);
      const menu = await page.getByRole('navigation', { name: '主菜单' }).getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      const mine = {};
      await sweep(page, [...new Set([...menu, '/account'])], mine);
      for (const [k, v] of Object.entries(mine)) found[`${role} ${k}`] = v;
      assert.deepEqual(page.errors, [], role);
      await page.context().close();
    }
    assert.deepEqual(found, {});
  });

  test('the login page has no serious violation either, and pages work on a phone', async () => {
    const ctx = await b.newContext({ viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    await page.goto(srv.url + '/login');
    await page.getByRole('button', { name: '登录' }).waitFor();
    assert.deepEqual(await axe(page), []);
    await ctx.close();
    const phone = await login(b, srv, 'admin', { width: 390, height: 844 });
    // the menu folds behind a button on a narrow screen
    assert.equal(await phone.getByRole('navigation', { name: '主菜单' }).isVisible(), false);
    await phone.getByRole('button', { name: '菜单' }).click();
    await phone.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '使用单位' }).click();
    await phone.getByRole('heading', { name: '使用单位', level: 1 }).waitFor();
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `page wider than the phone: ${width}px`);
    await shot(phone, 'units-phone');
    await phone.context().close();
  });
});

describe('served like a product', () => {
  test('assets compressed, cached a year under hashed names; index revalidated; routes reload', async () => {
    const index = await fetch(srv.url + '/applications/1', { headers: { 'Accept-Encoding': 'br, gzip' } });
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    assert.match(index.headers.get('content-security-policy'), /script-src 'self'/);
    const html = await index.text();
    const js = html.match(/\/assets\/index-[\w-]+\.js/)[0];
    const r = await fetch(srv.url + js, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const raw = await fetch(srv.url + js, { headers: { 'Accept-Encoding': 'identity' } });
    assert.equal(raw.headers.get('content-encoding'), null);
    assert.equal((await fetch(srv.url + '/assets/missing-1234.js')).status, 404);
    const etag = index.headers.get('etag');
    const again = await fetch(srv.url + '/', { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
  });

  test('the first page loads under 300 KB of compressed JavaScript, no chart code on pages without charts', async () => {
    // The home page after login loads the chart; measure a fresh tab opened
    // straight on a page without charts, in the same logged-in context.
    const home = await login(b, srv, 'admin');
    await home.waitForLoadState('networkidle');
    const page = await home.context().newPage();
    await home.close();
    const sizes = {};
    page.on('response', async (resp) => {
      if (resp.url().endsWith('.js')) {
        const h = await resp.allHeaders();
        sizes[resp.url()] = Number(h['content-length'] || 0);
      }
    });
    await page.goto(srv.url + '/units');
    await page.getByRole('heading', { name: '使用单位', level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    const total = Object.values(sizes).reduce((a, x) => a + x, 0);
    assert.ok(total > 0 && total < 300 * 1024, `JavaScript loaded: ${total} bytes`);
    assert.ok(!Object.keys(sizes).some((u) => u.includes('/chart-')), Object.keys(sizes).join());
    await page.context().close();
  });
});

describe('registry forms check what the API checks', () => {
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

  test('the manager registers a unit, adds a contact and an agreement with its scan', async () => {
    const m = await login(b, srv, 'admin');
    await m.goto(srv.url + '/units');
    await m.getByRole('button', { name: '登记单位' }).click();
    await m.getByRole('button', { name: '登记', exact: true }).click();
    // the browser refuses the empty form with the server's words, at each field
    const err = m.locator('.field.invalid .field-error');
    await err.first().waitFor();
    assert.deepEqual(await err.allTextContents(), ['缺少必填字段：单位名称', '缺少必填字段：单位类型', '缺少必填字段：单位层级']);
    const before = srv.sql('SELECT count(*) AS n FROM units')[0].n;
    await m.locator('form').getByLabel('单位名称').fill('桐柏县控制台登记局');
    await m.locator('form').getByLabel('单位类型').selectOption('党政机关');
    await m.locator('form').getByLabel('单位层级').selectOption('县直');
    await m.getByRole('button', { name: '登记', exact: true }).click();
    await m.getByRole('heading', { name: '桐柏县控制台登记局', level: 1 }).waitFor();
    assert.equal(srv.sql('SELECT count(*) AS n FROM units')[0].n, before + 1);

    // a refusal only the server can make (the name is taken) shows at the field too
    await m.goto(srv.url + '/units');
    await m.getByRole('button', { name: '登记单位' }).click();
    await m.locator('form').getByLabel('单位名称').fill('桐柏县控制台登记局');
    await m.locator('form').getByLabel('单位类型').selectOption('党政机关');
    await m.locator('form').getByLabel('单位层级').selectOption('县直');
    await m.getByRole('button', { name: '登记', exact: true }).click();
    await m.locator('.field.invalid .field-error').waitFor();
    assert.match(await m.locator('.field.invalid label').textContent(), /单位名称/);
    assert.equal(srv.sql('SELECT count(*) AS n FROM units')[0].n, before + 1);

    const uid = srv.sql("SELECT id FROM units WHERE name = '桐柏县控制台登记局'")[0].id;
    await m.goto(`${srv.url}/units/${uid}`);
    await m.getByRole('button', { name: '添加联系人' }).click();
    await m.getByLabel('联系人角色').selectOption('安全联系人');
    await m.getByLabel('姓名').fill('孙安全');
    await m.getByLabel('手机号码').fill('13712345678');
    await m.getByRole('button', { name: '添加', exact: true }).click();
    await m.getByRole('cell', { name: '孙安全', exact: true }).waitFor();
    await shot(m, 'unit-detail');
    assert.deepEqual(m.errors.map((e) => e.match(/status of (\d+)/)?.[1]), ['409']); // the taken name
    await m.context().close();
  });

  test('an agreement is registered and its scan uploaded and viewed (洛宁 LN-17)', async () => {
    const ln = await Server.start('luoning');
    try {
      const m = await login(b, ln, 'admin');
      const uid = (await ln.must('admin', 'POST', '/units', { name: '洛宁县协议测试局', type: '党政机关', level: '县直' })).id;
      await m.goto(`${ln.url}/units/${uid}`);
      await m.getByRole('button', { name: '登记协议' }).click();
      await m.getByLabel('协议种类').selectOption({ label: '安全保密承诺书（LN-17）' });
      await m.getByLabel('签署日期').fill('2026-03-02');
      await m.getByRole('button', { name: '登记', exact: true }).click();
      await m.getByRole('cell', { name: '安全保密承诺书', exact: true }).waitFor();
      await m.getByLabel(/上传扫描件/).setInputFiles({ name: '承诺书.png', mimeType: 'image/png', buffer: PNG });
      const link = m.getByRole('link', { name: '承诺书.png' });
      await link.waitFor();
      const scan = await m.evaluate((href) => fetch(href).then(async (r) => [r.status, r.headers.get('content-type'), (await r.arrayBuffer()).byteLength]), await link.getAttribute('href'));
      assert.deepEqual(scan, [200, 'image/png', PNG.length]);
      // the signing date corrected; the kind of agreement stays what was signed
      await m.getByRole('button', { name: '修改安全保密承诺书' }).click();
      const f = m.locator('form', { has: m.getByRole('heading', { name: '修改安全保密承诺书' }) });
      assert.equal(await f.getByLabel('协议种类').count(), 0);
      await f.getByLabel('签署日期').fill('2026-03-05');
      await f.getByRole('button', { name: '保存' }).click();
      await m.getByRole('cell', { name: '2026年3月5日' }).waitFor();
      assert.equal(ln.sql(`SELECT signed_on FROM agreements WHERE unit_id = ${uid}`)[0].signed_on, '2026-03-05');
      assert.deepEqual(m.errors, []);
      await m.context().close();
    } finally {
      await ln.stop();
    }
  });

  test('a unit files a change of its security contact (TB-6) through the generic form', async () => {
    const u = await login(b, srv, 'unit');
    await u.goto(srv.url + '/applications/new?kind=contact_refile');
    await u.getByLabel('联系人姓名').fill('周新');
    await u.getByLabel('联系人手机号码').fill('13600000009');
    await u.getByRole('button', { name: /提交安全联系人变更备案/ }).click();
    const err = u.locator('.field.invalid .field-error');
    await err.waitFor();
    assert.equal(await err.textContent(), '缺少必填字段：变更日期');
    await u.getByLabel('变更日期').fill(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10));
    await u.getByRole('button', { name: /提交安全联系人变更备案/ }).click();
    await u.getByRole('heading', { name: /安全联系人变更备案 \d+/ }).waitFor();
    assert.deepEqual(u.errors, []);
    await u.context().close();
  });
});

describe('records corrected and deleted from their lists', () => {
  test('a terminal and a contact are corrected and deleted; a refused deletion says why; others get no buttons', async () => {
    const uid = srv.sql("SELECT id FROM units ORDER BY id LIMIT 1")[0].id;
    const cid = (await srv.must('admin', 'POST', '/carriers', { name: '控制台测试运营商' })).id;
    await srv.must('admin', 'POST', '/lines', { carrier_id: cid, circuit_id: 'KZT-1', bandwidth_mbps: 100, payer: '使用单位', status: '在用' });
    const tid = (await srv.must('admin', 'POST', '/terminals', { mac: '00:16:3E:0A:0B:0C', unit_id: uid, kind: '计算机', user_name: '李四', location: '三楼东' })).id;
    await srv.must('admin', 'POST', `/units/${uid}/contacts`, { role: '网络管理员', name: '钱改号', mobile: '13811112222' });
    const m = await login(b, srv, 'admin');
    await m.goto(srv.url + '/terminals');
    const mac = '00:16:3E:0A:0B:0C';
    await m.getByRole('button', { name: `修改终端 ${mac}` }).click();
    const form = m.locator('form', { has: m.getByRole('heading', { name: `修改终端 ${mac}` }) });
    // the MAC the register is keyed on is filled; a required choice emptied is refused at its field
    await form.getByLabel('终端类型').selectOption('');
    await form.getByRole('button', { name: '保存' }).click();
    const err = form.locator('.field.invalid .field-error');
    await err.waitFor();
    assert.equal(await err.textContent(), '终端类型不能为空');
    await form.getByLabel('终端类型').selectOption('打印机');
    // a format is checked with the server's own pattern (GET /schemas): a multicast MAC is
    // refused at its field before anything is sent
    const rev = srv.sql(`SELECT rev FROM terminals WHERE id = ${tid}`)[0].rev;
    await form.getByLabel('MAC 地址').fill('01:00:5e:00:00:01');
    await form.getByRole('button', { name: '保存' }).click();
    await form.locator('.field.invalid .field-error', { hasText: 'MAC 地址格式不正确' }).waitFor();
    assert.equal(srv.sql(`SELECT rev FROM terminals WHERE id = ${tid}`)[0].rev, rev);
    await form.getByLabel('MAC 地址').fill(mac);
    await form.getByLabel('使用人').fill('王五');
    await form.getByLabel('位置').fill('');
    await form.getByRole('button', { name: '保存' }).click();
    await form.waitFor({ state: 'detached' });
    const t = srv.sql(`SELECT user_name, location, kind FROM terminals WHERE id = ${tid}`)[0];
    assert.deepEqual([t.user_name, t.location ?? ''], ['王五', '']);
    await m.getByRole('cell', { name: '王五' }).waitFor();
    // deleting asks once more, in the row
    await m.getByRole('button', { name: `删除终端 ${mac}` }).click();
    await m.getByRole('button', { name: `不删除` }).click();
    assert.equal(srv.sql(`SELECT count(*) AS n FROM terminals WHERE id = ${tid}`)[0].n, 1);
    await m.getByRole('button', { name: `删除终端 ${mac}` }).click();
    await m.getByRole('button', { name: `确认删除终端 ${mac}` }).click();
    await m.getByRole('cell', { name: '王五' }).waitFor({ state: 'detached' });
    assert.equal(srv.sql(`SELECT count(*) AS n FROM terminals WHERE id = ${tid}`)[0].n, 0);

    // a carrier with lines cannot go: the server's reason is shown
    await m.goto(srv.url + '/carriers');
    await m.getByRole('button', { name: '删除运营商 控制台测试运营商' }).click();
    await m.getByRole('button', { name: '确认删除运营商 控制台测试运营商' }).click();
    assert.match(await m.getByRole('alert').textContent(), /仍被其他记录引用，不能删除/);
    assert.equal(srv.sql(`SELECT count(*) AS n FROM carriers WHERE id = ${cid}`)[0].n, 1);

    // a contact's mobile corrected, then the contact removed
    await m.goto(`${srv.url}/units/${uid}`);
    await m.getByRole('button', { name: '修改联系人 钱改号' }).click();
    const cf = m.locator('form', { has: m.getByRole('heading', { name: '修改联系人 钱改号' }) });
    await cf.getByLabel('手机号码').fill('1381111');
    await cf.getByRole('button', { name: '保存' }).click();
    await cf.locator('.field.invalid .field-error').waitFor();
    assert.equal(await cf.locator('.field.invalid .field-error').textContent(), '手机号码应为 11 位大陆手机号码');
    await cf.getByLabel('手机号码').fill('13833334444');
    await cf.getByRole('button', { name: '保存' }).click();
    await m.getByRole('cell', { name: '13833334444' }).waitFor();
    assert.equal(srv.sql("SELECT mobile FROM contacts WHERE name = '钱改号'")[0].mobile, '13833334444');
    await m.getByRole('button', { name: '删除联系人 钱改号' }).click();
    await m.getByRole('button', { name: '确认删除联系人 钱改号' }).click();
    await m.getByRole('cell', { name: '钱改号', exact: true }).waitFor({ state: 'detached' });
    assert.equal(srv.sql("SELECT count(*) AS n FROM contacts WHERE name = '钱改号'")[0].n, 0);
    assert.deepEqual(m.errors.map((e) => e.match(/status of (\d+)/)?.[1]), ['409']); // the carrier
    await m.context().close();

    // the inspector reads the same lists without a button to change them
    const i = await login(b, srv, 'inspector');
    await i.goto(srv.url + '/carriers');
    await i.getByRole('cell', { name: '控制台测试运营商' }).waitFor();
    assert.equal(await i.getByRole('button', { name: /^(修改|删除)/ }).count(), 0);
    await i.context().close();
  });
});

describe('the address plan from the console', () => {
  test('the manager registers a zone and a container, sees its free blocks and allocates to a unit', async () => {
    const m = await login(b, srv, 'admin');
    const uid = (await srv.must('admin', 'POST', '/units', { name: '桐柏县地址规划测试局', type: '事业单位', level: '县直' })).id;
    await m.goto(srv.url + '/ipam');
    await m.getByRole('button', { name: '登记区域' }).click();
    await m.getByLabel('区域名称').fill('视频会议区');
    await m.getByLabel('区域代码').fill('Video!');
    await m.getByRole('button', { name: '登记', exact: true }).click();
    // the code's format is checked in the browser with the server's pattern (GET /schemas),
    // in the server's words, at the field: nothing is sent
    await m.locator('.field.invalid .field-error').waitFor();
    assert.match(await m.locator('.field.invalid label').textContent(), /代码/);
    assert.match(await m.locator('.field.invalid .field-error').textContent(), /区域代码格式不正确/);
    await m.getByLabel('区域代码').fill('video');
    await m.getByRole('button', { name: '登记', exact: true }).click();
    await m.getByRole('cell', { name: '视频会议区', exact: true }).waitFor();
    await m.getByRole('button', { name: '登记地址段' }).click();
    await m.locator('form').getByLabel('地址段').fill('10.88.0.0/20');
    await m.getByLabel('状态').selectOption({ label: '地址池' }); // the server's name of container
    await m.getByLabel('所属区域').selectOption({ label: '视频会议区' });
    await m.getByRole('button', { name: '登记', exact: true }).click();
    await m.getByText('10.88.0.0/20', { exact: true }).waitFor();
    await m.getByRole('row').filter({ hasText: '10.88.0.0/20' }).getByRole('cell', { name: '地址池', exact: true }).waitFor();
    await m.getByRole('button', { name: '10.88.0.0/20 空闲块' }).click();
    await m.getByText('共 4096 个地址').waitFor();
    await m.getByRole('button', { name: '从 10.88.0.0/20 分配' }).click();
    await m.getByLabel('使用单位').selectOption({ label: '桐柏县地址规划测试局' });
    await m.getByLabel('需要的地址数量').fill('100');
    await m.getByRole('button', { name: '分配', exact: true }).click();
    await m.getByText('10.88.0.0/25', { exact: true }).waitFor();
    assert.equal(srv.sql(`SELECT unit_id FROM prefixes WHERE cidr = '10.88.0.0/25'`)[0].unit_id, uid);
    // a VLAN registered for the unit, corrected, removed
    await m.getByRole('button', { name: '登记 VLAN' }).click();
    const vf = m.locator('form', { has: m.getByRole('heading', { name: '登记 VLAN' }) });
    await vf.getByLabel('VLAN ID').fill('4095');
    await vf.getByLabel('VLAN 名称').fill('视频会议');
    await vf.getByRole('button', { name: '登记', exact: true }).click();
    assert.equal(await vf.locator('.field.invalid .field-error').textContent(), 'VLAN ID应在 1 到 4094 之间');
    await vf.getByLabel('VLAN ID').fill('300');
    await vf.getByLabel('使用单位').selectOption({ label: '桐柏县地址规划测试局' });
    await vf.getByRole('button', { name: '登记', exact: true }).click();
    await m.getByRole('button', { name: '修改VLAN 300' }).click();
    const ve = m.locator('form', { has: m.getByRole('heading', { name: '修改VLAN 300' }) });
    await ve.getByLabel('VLAN 名称').fill('视频会议专网');
    await ve.getByRole('button', { name: '保存' }).click();
    await m.getByRole('cell', { name: '视频会议专网', exact: true }).waitFor();
    assert.equal(srv.sql('SELECT unit_id FROM vlans WHERE vid = 300')[0].unit_id, uid);
    await m.getByRole('button', { name: '删除VLAN 300' }).click();
    await m.getByRole('button', { name: '确认删除VLAN 300' }).click();
    await m.getByRole('cell', { name: '视频会议专网', exact: true }).waitFor({ state: 'detached' });
    assert.equal(srv.sql('SELECT count(*) AS n FROM vlans WHERE vid = 300')[0].n, 0);
    // a container still holding the unit's subnet is not released: the server says why
    await m.getByRole('button', { name: '释放地址段 10.88.0.0/20' }).click();
    await m.getByRole('button', { name: '确认释放地址段 10.88.0.0/20' }).click();
    assert.equal(await m.getByRole('alert').textContent(), '地址段下还有 1 个子地址段，请先释放它们');
    assert.equal(srv.sql(`SELECT count(*) AS n FROM prefixes WHERE cidr = '10.88.0.0/20'`)[0].n, 1);
    // host assignment: the next free host of the unit's subnet
    await m.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '主机地址' }).click();
    await m.getByRole('button', { name: '登记主机地址' }).click();
    await m.locator('form').getByLabel('地址段').selectOption({ label: '10.88.0.0/25（桐柏县地址规划测试局）' });
    await m.locator('form').getByLabel('地址类型').selectOption('静态');
    await m.locator('form').getByLabel('主机名').fill('gw-test');
    await m.getByRole('button', { name: '登记', exact: true }).click();
    await m.getByRole('cell', { name: 'gw-test' }).waitFor();
    const host = srv.sql("SELECT address FROM addresses WHERE hostname = 'gw-test'")[0].address;
    assert.match(host, /^10\.88\.0\.\d+$/);
    await shot(m, 'ipam');
    assert.deepEqual(m.errors.map((e) => e.match(/status of (\d+)/)?.[1]), ['409']); // the release
    await m.context().close();
  });
});

describe('deadlines, the carrier queue and the keyboard', () => {
  test('the manager pauses a deadline with a reason and resumes it; the carrier sees its queue', async () => {
    const uid = (await srv.must('admin', 'POST', '/units', { name: '桐柏县时限测试局', type: '学校', level: '乡镇' })).id;
    const app = await srv.must('admin', 'POST', '/applications', {
      kind: 'access', unit_id: uid, user_type: '事业单位', address: '测试', admin_name: '甲',
      admin_mobile: '13800000011', tech_name: '乙', tech_mobile: '13800000012', ip_count: 8,
      bandwidth_mbps: 20, purpose: '办公' });
    await srv.must('admin', 'POST', `/applications/${app.id}/transitions`, { action: 'approve', allocate: false }, 200);
    const did = srv.sql(`SELECT id FROM deadlines WHERE subject_id = ${app.id} AND rule = 'access_implement'`)[0].id;

    const c = await login(b, srv, 'carrier');
    const queue = c.getByRole('region', { name: '待实施的申请' });
    await queue.getByRole('link', { name: `接入申请 ${app.id}` }).waitFor();
    await queue.getByText(/剩余 .*（TB-13）/).waitFor(); // the implementation deadline, counting down
    assert.equal(await c.getByRole('button', { name: `暂停第 ${did} 号时限` }).count(), 0);
    await c.context().close();

    const m = await login(b, srv, 'admin');
    await m.goto(srv.url + '/deadlines');
    await m.getByRole('button', { name: `暂停第 ${did} 号时限` }).click();
    await m.getByRole('button', { name: '确认暂停' }).click();
    await m.locator('.field.invalid .field-error').waitFor(); // a pause needs its reason
    await m.getByLabel('暂停原因').fill('单位机房尚未完工');
    await m.getByRole('button', { name: '确认暂停' }).click();
    await m.waitForFunction((id) => !document.querySelector(`button[aria-label="暂停第 ${id} 号时限"]`), did);
    assert.equal(srv.sql(`SELECT status FROM deadlines WHERE id = ${did}`)[0].status, 'paused');
    await m.getByLabel('状态').selectOption({ label: '已暂停' });
    const paused = m.getByRole('row').filter({ has: m.getByRole('link', { name: `申请 ${app.id}`, exact: true }) });
    await paused.getByRole('cell', { name: '接入实施', exact: true }).waitFor(); // the profile's name of the rule
    await paused.getByText('已暂停（TB-13）').waitFor();
    await m.getByRole('button', { name: '恢复计时' }).first().click();
    await m.waitForFunction(() => !document.querySelector('td button'));
    assert.equal(srv.sql(`SELECT status FROM deadlines WHERE id = ${did}`)[0].status, 'running');
    assert.deepEqual(m.errors.map((e) => e.match(/status of (\d+)/)?.[1]), ['400']); // the missing reason
    await m.context().close();
  });

  test('logging in and reaching a page works with the keyboard alone', async () => {
    const ctx = await b.newContext();
    const page = await ctx.newPage();
    await page.goto(srv.url + '/');
    await page.getByLabel('用户名').waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.name), 'username');
    await page.keyboard.type('admin');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Demo2026zw');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '首页', level: 1 }).waitFor();
    // after a page change the focus is on the page's content, so a screen reader starts there
    await page.waitForFunction(() => document.activeElement?.id === 'main');
    // the skip link is the first thing on the page a Tab reaches
    assert.equal(await page.evaluate(() => [...document.querySelectorAll('a[href], button, input, select, textarea')][0].textContent), '跳到正文');
    // back up through the menu to 使用单位
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Shift+Tab');
      reached = await page.evaluate(() => document.activeElement.textContent === '使用单位');
    }
    assert.ok(reached, 'the menu entry 使用单位 is reachable with the keyboard');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '使用单位', level: 1 }).waitFor();
    await ctx.close();
  });
});

describe('the working-day calendar', () => {
  test('a manager loads a new year: it is no longer provisional', async () => {
    const m = await login(b, srv, 'admin');
    await m.goto(srv.url + '/calendar');
    const thisYear = Number(await m.locator('main strong').textContent().then((t) => t.match(/\d+/)[0]));
    const year = 2028;
    for (let y = thisYear; y < year; y++) await m.getByRole('button', { name: '下一年' }).click();
    await m.getByText(`${year} 年的放假安排尚未载入`).waitFor();
    const json = JSON.stringify({ year, papers: [], days: [{ name: '元旦', date: `${year}-01-01`, isOffDay: true }] });
    // a file for another year is refused, naming the field
    await m.getByLabel(/载入 2028 年放假安排/).setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(json.replace(`"year":${year}`, '"year":2029')) });
    await m.getByRole('alert').waitFor();
    await m.getByLabel(/载入 2028 年放假安排/).setInputFiles({ name: `${year}.json`, mimeType: 'application/json', buffer: Buffer.from(json) });
    await m.getByText(`已载入 ${year} 年的放假安排`).waitFor();
    await m.getByRole('cell', { name: '休息（元旦）' }).waitFor();
    assert.equal(await m.getByText(`${year} 年的放假安排尚未载入`).count(), 0);
    assert.deepEqual(m.errors.map((e) => e.match(/status of (\d+)/)?.[1]), ['400']);
    await m.context().close();
  });
});

describe('a port opening application (TB-17), row by row', () => {
  test('a bad port is caught in the browser, a target outside the unit is refused at its row', async () => {
    const u = await login(b, srv, 'unit');
    await u.goto(srv.url + '/applications/new?kind=port');
    const row = u.getByRole('group', { name: '第 1 个端口' });
    await row.getByLabel('协议').selectOption('tcp');
    await row.getByLabel('端口').fill('70000');
    await row.getByLabel('目标地址').fill('192.0.2.10');
    await row.getByLabel('用途').fill('门户网站');
    await u.locator('form').getByLabel('用途').fill('对外发布信息');
    await u.getByRole('button', { name: /提交端口开通申请/ }).click();
    const err = row.locator('.field.invalid .field-error');
    await err.waitFor();
    assert.equal(await err.textContent(), '第 1 个端口：端口应在 1 到 65535 之间');
    await row.getByLabel('端口').fill('443');
    await u.getByRole('button', { name: /提交端口开通申请/ }).click();
    // only the server knows the unit's subnets: its refusal shows at the row's target field
    await row.locator('.field.invalid label', { hasText: '目标地址' }).waitFor();
    assert.match(await row.locator('.field.invalid .field-error').textContent(), /第 1 个端口/);
    assert.equal(srv.sql("SELECT count(*) AS n FROM applications WHERE kind = 'port'")[0].n, 0);
    await shot(u, 'port-application');
    assert.equal(u.errors.length, 1); // the server's one refusal
    await u.context().close();
  });
});

describe('user administration', () => {
  test('the manager creates a unit administrator, who logs in; disabled, they cannot', async () => {
    const m = await login(b, srv, 'admin');
    await m.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '用户管理' }).click();
    await m.getByRole('button', { name: '创建用户' }).click();
    await m.getByLabel('用户名').fill('xiangzhen1');
    await m.getByLabel('姓名').fill('乡镇网管');
    await m.getByLabel('角色').selectOption({ label: '使用单位管理员' });
    await m.getByLabel('所属单位').selectOption({ index: 1 });
    await m.getByLabel('初始密码').fill('short');
    await m.getByRole('button', { name: '创建', exact: true }).click();
    // the password rule is the server's: its answer shows at the password field
    await m.locator('.field.invalid .field-error').waitFor();
    assert.match(await m.locator('.field.invalid label').textContent(), /初始密码/);
    await m.getByLabel('初始密码').fill('Xiangzhen2026');
    await m.getByRole('button', { name: '创建', exact: true }).click();
    await m.getByRole('cell', { name: 'xiangzhen1', exact: true }).waitFor();
    const r = await fetch(srv.url + '/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'xiangzhen1', password: 'Xiangzhen2026' }) });
    assert.equal(r.status, 201);
    await m.getByRole('button', { name: '停用 xiangzhen1' }).click();
    await m.getByRole('button', { name: '启用 xiangzhen1' }).waitFor();
    const r2 = await fetch(srv.url + '/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'xiangzhen1', password: 'Xiangzhen2026' }) });
    assert.equal(r2.status, 401);
    assert.deepEqual(m.errors.map((e) => e.match(/status of (\d+)/)?.[1]), ['400']);
    await m.context().close();
  });
});

describe('one\'s own password', () => {
  test('a user changes their password; the old one no longer works', async () => {
    await srv.must('admin', 'POST', '/users', { username: 'pwuser', role: 'auditor', display_name: '审计员乙', password: 'Demo2026zw' });
    const p = await login(b, srv, 'pwuser');
    await p.getByRole('link', { name: '修改密码' }).click();
    await p.getByLabel('原密码').fill('wrong-password1');
    await p.locator('input[name="new_password"]').fill('Newpass2026');
    await p.getByLabel('再次输入新密码').fill('Newpass2027');
    await p.getByRole('button', { name: '修改密码' }).click();
    assert.equal(await p.locator('.field.invalid .field-error').textContent(), '两次输入的新密码不一致');
    await p.getByLabel('再次输入新密码').fill('Newpass2026');
    await p.getByRole('button', { name: '修改密码' }).click();
    await p.locator('.field.invalid label', { hasText: '原密码' }).waitFor(); // the server's answer
    await p.getByLabel('原密码').fill('Demo2026zw');
    await p.getByRole('button', { name: '修改密码' }).click();
    await p.getByText('密码已修改').waitFor();
    const tryLogin = (pw) => fetch(srv.url + '/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'pwuser', password: pw }) }).then((r) => r.status);
    assert.equal(await tryLogin('Demo2026zw'), 401);
    assert.equal(await tryLogin('Newpass2026'), 201);
    await p.context().close();
  });
});

describe('API tokens', () => {
  test('a user creates a token shown once, it opens the API, revoked it does not; a manager sees everyone\'s', async () => {
    const u = await login(b, srv, 'carrier');
    await u.getByRole('link', { name: 'API 令牌' }).click();
    await u.getByRole('heading', { name: 'API 令牌', level: 1 }).waitFor();
    await u.getByRole('button', { name: '创建令牌' }).click();
    assert.equal(await u.locator('.field.invalid .field-error').textContent(), '缺少必填字段：令牌名称');
    await u.getByLabel('令牌名称').fill('工单同步脚本');
    await u.getByLabel('有效期至').fill('2030-12-31');
    await u.getByRole('button', { name: '创建令牌' }).click();
    const token = await u.locator('code.token').textContent();
    assert.ok(token.length >= 32, token);
    await u.getByRole('cell', { name: '工单同步脚本', exact: true }).waitFor();
    const call = async () => (await fetch(srv.url + '/api/v1/session', { headers: { Authorization: 'Bearer ' + token } })).status;
    assert.equal(await call(), 200);
    assert.equal(srv.sql("SELECT count(*) AS n FROM api_tokens WHERE name = '工单同步脚本' AND expires_at IS NOT NULL")[0].n, 1);
    // the carrier may not see other users' tokens: no switch offered
    assert.equal(await u.getByLabel('显示全部用户的令牌').count(), 0);
    assert.equal(await u.getByText('专用令牌的权限范围').count(), 0);

    const m = await login(b, srv, 'admin');
    await m.goto(srv.url + '/tokens');
    // a manager makes a probe's token: it reaches the probe's routes only
    await m.getByLabel('令牌名称').fill('探针-城关机房');
    await m.getByLabel(/探针（上报/).check();
    await m.getByRole('button', { name: '创建令牌' }).click();
    const probe = await m.locator('code.token').textContent();
    // and how to start the probe with it, against this server
    const cmd = await m.locator('pre.command').innerText();
    assert.ok(cmd.includes(`zwnet probe --server ${srv.url} --name '探针-城关机房' --token-file /etc/zwnet/token`), cmd);
    assert.ok(cmd.includes(probe), cmd);
    await m.getByRole('row').filter({ hasText: '探针-城关机房' }).getByRole('cell', { name: '探针', exact: true }).waitFor();
    const as = async (path) => (await fetch(srv.url + '/api/v1' + path, { headers: { Authorization: 'Bearer ' + probe } })).status;
    assert.equal(await as('/units'), 403);
    assert.equal(await as('/probes/devices'), 200);
    await m.getByLabel('显示全部用户的令牌').check();
    const row = m.getByRole('row').filter({ hasText: '工单同步脚本' });
    await row.getByRole('cell', { name: 'carrier', exact: true }).waitFor();
    await m.context().close();

    await u.getByRole('button', { name: '吊销令牌 工单同步脚本' }).click();
    await u.getByRole('button', { name: '确认吊销令牌 工单同步脚本' }).click();
    await u.getByRole('cell', { name: '已吊销' }).waitFor();
    assert.equal(await call(), 401);
    assert.deepEqual(u.errors, []);
    await u.context().close();
  });
});
