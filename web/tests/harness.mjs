// Starts a real `zwnet serve` (demo county, its own SQLite file, a free loopback port, the
// built console) and Debian's Chromium through playwright-core, for the console's tests.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '../..');
export const BIN = resolve(ROOT, process.env.ZWNET_BIN || 'build-asan/zwnet');
export const OUT = resolve(ROOT, process.env.ZWNET_TEST_OUT || 'tests/out', 'web');
export const PASSWORD = 'Demo2026zw';
mkdirSync(OUT, { recursive: true });

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

export class Server {
  // scheduler: seconds between the server's scheduler steps (0: none; the inbox is filled by
  // the scheduler, so a test of what notices say sets it). args: more serve options.
  static async start(profile = 'tongbai', { scheduler = 0, args = [] } = {}) {
    const s = new Server();
    s.dir = mkdtempSync(join(tmpdir(), 'zwnet-web-'));
    s.db = join(s.dir, 'zwnet.db');
    const env = { ...process.env, ZWNET_PASSWORD: PASSWORD };
    const demo = spawnSync(BIN, ['demo', '--db', s.db, '--profile', profile, '--password-cost', 'min', '--db-synchronous', 'normal'], { env, encoding: 'utf8' });
    if (demo.status !== 0) throw new Error('zwnet demo failed: ' + demo.stderr);
    s.port = await freePort();
    s.url = `http://127.0.0.1:${s.port}`;
    s.log = [];
    s.proc = spawn(BIN, ['serve', '--db', s.db, '--listen', `127.0.0.1:${s.port}`, '--profile', profile,
      '--web-root', join(ROOT, 'web/dist'), '--password-cost', 'min', '--scheduler-interval', String(scheduler),
      // a scratch database: no fsync per commit (tests/api/harness.py says why)
      '--db-synchronous', 'normal', '--disk-min-free', '0', ...args], { env });
    s.proc.stdout.on('data', (d) => s.log.push(String(d)));
    s.proc.stderr.on('data', (d) => s.log.push(String(d)));
    for (let i = 0; i < 200; i++) {
      try {
        const r = await fetch(s.url + '/api/v1/health');
        if (r.ok) return s;
      } catch { /* not up yet */ }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('zwnet serve did not start:\n' + s.log.join(''));
  }

  // The API as a user (Bearer token), for setting up what a test needs.
  async as(user, method, path, body) {
    this.tokens ??= {};
    if (!this.tokens[user]) {
      const r = await fetch(this.url + '/api/v1/session', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: user, password: PASSWORD }),
      });
      if (!r.ok) throw new Error(`login ${user}: ${r.status}`);
      this.tokens[user] = (await r.json()).token;
    }
    const r = await fetch(this.url + '/api/v1' + path, {
      method, headers: { Authorization: 'Bearer ' + this.tokens[user], 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : null, headers: r.headers };
  }

  async must(user, method, path, body, status) {
    const r = await this.as(user, method, path, body);
    if (r.status !== (status ?? (method === 'POST' ? 201 : 200))) {
      throw new Error(`${method} ${path} as ${user}: ${r.status} ${JSON.stringify(r.json)}`);
    }
    return r.json;
  }

  // An import of a CSV sheet (lines: its header and rows) as a user, as an office uploads it.
  async importCsv(user, kind, lines) {
    await this.as(user, 'GET', '/session'); // a token for the upload
    const r = await fetch(this.url + `/api/v1/imports/${kind}`, {
      method: 'POST', headers: { Authorization: 'Bearer ' + this.tokens[user], 'Content-Type': 'text/csv' },
      body: lines.join('\r\n'),
    });
    if (r.status !== 201) throw new Error(`import ${kind}: ${r.status} ${await r.text()}`);
    return r.json();
  }

  sql(query) {
    const r = spawnSync('sqlite3', ['-json', this.db, query], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout.trim() ? JSON.parse(r.stdout) : [];
  }

  async stop() {
    if (this.proc.exitCode === null) {
      this.proc.kill('SIGTERM');
      await new Promise((ok) => this.proc.once('exit', ok));
    }
    const log = this.log.join('');
    rmSync(this.dir, { recursive: true, force: true });
    for (const bad of ['AddressSanitizer', 'LeakSanitizer', 'runtime error:']) {
      if (log.includes(bad)) throw new Error('sanitizer report in server log:\n' + log.slice(-4000));
    }
    if (this.proc.exitCode !== 0) throw new Error(`server exited with ${this.proc.exitCode}\n${log.slice(-2000)}`);
  }
}

export async function browser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

// A page signed in as user (through the login form, as a person would).
export async function login(b, srv, user, viewport = { width: 1366, height: 768 }) {
  const ctx = await b.newContext({ viewport, locale: 'zh-CN' });
  const page = await ctx.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  // console errors count, except the 401 of the session probe before logging in: a page
  // that asks for what the role may not read (403) is a bug of the console
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 401/.test(m.text())) page.errors.push(m.text());
  });
  await page.goto(srv.url + '/');
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('heading', { name: '首页', level: 1 }).waitFor();
  return page;
}

export async function shot(page, name) {
  await page.screenshot({ path: join(OUT, name + '.png'), fullPage: true });
}

export const axeSource = () => readFileSync(join(ROOT, 'web/node_modules/axe-core/axe.min.js'), 'utf8');

// Serious or critical accessibility violations of the page as it is now (axe-core).
export async function axe(page) {
  // evaluated through the DevTools protocol: the console's CSP allows no inline script
  await page.evaluate(axeSource());
  const r = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const res = await axe.run(document, { resultTypes: ['violations'] });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  return r.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

// A test file's server and browser, started before its tests and stopped after them:
// const t = useServer('tongbai'); then const { srv, b } = await t.ready() in a hook or a test
// (node:test runs a file's top-level before hooks without waiting for one another).
export function useServer(profile, opts) {
  const t = {};
  let starting = null;
  t.ready = () => (starting ??= (async () => {
    t.srv = await Server.start(profile, opts);
    t.b = await browser();
    return t;
  })());
  before(() => t.ready());
  after(async () => {
    await t.b?.close();
    await t.srv?.stop();
  });
  return t;
}
