// Chinese everywhere a person reads (issue 16 item 10), in Debian's Chromium against a real
// zwnet serve: with findings of several kinds, a case, an approved application and the audit
// log they leave, no page shows an internal code (a snake_case name, an "object.verb" action, a
// status value such as active or running) to any role; and the empty states of a fresh install
// say what to do next.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Server, login, useServer } from './harness.mjs';

const t = useServer('tongbai');
let srv;
let b;
let cases;

// What an internal code looks like in text: a snake_case name, an action of the audit log, a
// value of an enumeration the console must name (checked against the server's values).
const CODES = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b(?:unit|application|violation|finding|deadline|session|user|token|prefix|terminal|contact|agreement|calendar|ops|zone|vlan)\.[a-z_]+\b/g;
const WORDS = /\b(?:active|container|reserved|quarantine|running|paused|breached|met|cancelled|open|notified|isolated|rectifying|submitted|reviewing|approved|implementing|completed|rejected|withdrawn|probe|enforcer|radius|true|false|null|undefined|NaN|Invalid Date)\b/g;

before(async () => {
  ({ srv, b } = await t.ready());
  const unitId = (await srv.as('unit', 'GET', '/session')).json.unit_id;
  const zone = (await srv.must('admin', 'POST', '/zones', { name: '公用网络区', code: 'pub' })).id;
  await srv.must('admin', 'POST', '/prefixes', { cidr: '10.77.0.0/16', status: 'container', zone_id: zone });
  await srv.must('admin', 'POST', '/prefixes', { cidr: '10.78.1.0/24', status: 'active', unit_id: unitId });
  await srv.must('admin', 'POST', '/terminals', { mac: '00:16:3e:77:00:11', ip: '10.78.1.11', unit_id: unitId, kind: '计算机' });
  const token = (await srv.must('admin', 'POST', '/tokens', { name: 'gw-zh', scope: 'probe enforcer' })).token;
  const obs = [
    { kind: 'arp', op: 'reply', at: '2026-11-24T08:00:00Z', mac: '00:16:3e:77:00:50', ip: '10.78.1.50' },
    { kind: 'arp', op: 'reply', at: '2026-11-24T08:00:01Z', mac: '00:16:3e:77:00:99', ip: '192.0.2.99' },
    { kind: 'arp', op: 'reply', at: '2026-11-24T08:00:02Z', mac: 'd0:37:45:77:00:60', ip: '10.78.1.60' },
    { kind: 'arp', op: 'reply', at: '2026-11-24T08:00:03Z', mac: '00:16:3e:77:00:11', ip: '10.78.1.12' },
  ];
  const r = await fetch(srv.url + '/api/v1/observations', {
    method: 'POST', headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ probe: 'gw-zh', observations: obs }),
  });
  assert.equal(r.status, 202);
  const unit = (await srv.must('admin', 'POST', '/units', { name: '桐柏县中文测试局', type: '党政机关', level: '县直' })).id;
  const app = await srv.must('admin', 'POST', '/applications', {
    kind: 'access', unit_id: unit, user_type: '党政机关', address: '城关镇中文路1号', admin_name: '郑网管',
    admin_mobile: '13800000041', tech_name: '王技术', tech_mobile: '13800000042', ip_count: 20, bandwidth_mbps: 20, purpose: '公文流转' });
  await srv.must('admin', 'POST', `/applications/${app.id}/transitions`, { action: 'approve', zone_id: zone }, 200);
  cases = srv.sql('SELECT id FROM violations ORDER BY id').map((v) => v.id);
  assert.ok(cases.length, 'the observations opened a case');
});

test('no page shows an internal code to any role', async () => {
  const findings = srv.sql('SELECT id FROM findings ORDER BY id').map((f) => `/findings/${f.id}`);
  const kinds = new Set(srv.sql('SELECT DISTINCT kind FROM findings').map((f) => f.kind));
  assert.ok(kinds.size >= 3, [...kinds].join(' '));
  const apps = srv.sql('SELECT id FROM applications ORDER BY id DESC LIMIT 2').map((a) => `/applications/${a.id}`);
  const pages = ['/', '/units', '/units/1', '/applications', ...apps, '/applications/new', '/ipam', '/addresses', '/terminals',
    '/devices', '/lines', '/carriers', '/deadlines', '/calendar', '/audit', '/users', '/profile', '/account', '/tokens',
    '/findings', ...findings, '/violations', ...cases.map((id) => `/violations/${id}`), '/probes', '/imports', '/inbox',
    '/search?q=10.78.1.11'];
  const users = new Set(srv.sql('SELECT username FROM users').map((u) => u.username));
  const found = {};
  // the roles side by side, each in its own browser context
  await Promise.all(['admin', 'unit', 'carrier', 'inspector', 'auditor'].map(async (role) => {
    const page = await login(b, srv, role);
    for (const path of pages) {
      await page.goto(srv.url + path);
      await page.waitForLoadState('networkidle');
      // the text people read: not code blocks (a command to copy), not the login names people chose
      const text = await page.locator('main').evaluate((m) => {
        const c = m.cloneNode(true);
        c.querySelectorAll('code, pre').forEach((e) => e.remove());
        return c.innerText;
      }).then((x) => x.replace(/\bprobe:[^\s（]+/g, '')); // a probe's name as it signs its reports
      const hits = [...new Set([...(text.match(CODES) || []), ...(text.match(WORDS) || [])])].filter((w) => !users.has(w));
      if (hits.length) found[`${role} ${path}`] = hits;
    }
    await page.context().close();
  }));
  assert.deepEqual(found, {});
});

test("a fresh install's empty pages say what to do next", async () => {
  const fresh = await Server.start('tongbai');
  try {
    const page = await login(b, fresh, 'admin');
    await page.goto(fresh.url + '/ipam');
    const zones = page.getByRole('region', { name: '区域' });
    await zones.getByText('地址规划从区域开始').waitFor();
    await zones.getByRole('button', { name: '登记区域' }).click();
    await page.getByRole('heading', { name: '登记区域' }).waitFor();
    await page.getByRole('region', { name: '地址段一览' }).getByText('批准接入时从中分配').waitFor();
    await page.goto(fresh.url + '/probes');
    await page.getByText('还没有探针上报').getByRole('link', { name: 'API 令牌' }).click();
    await page.getByRole('heading', { name: 'API 令牌', level: 1 }).waitFor();
    assert.deepEqual(page.errors, []);
    await page.context().close();
  } finally {
    await fresh.stop();
  }
});
