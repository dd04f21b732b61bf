// The console's budget (issue 5, at county scale for issue 16): how long each main page takes
// on loopback from navigation until it is interactive (its heading and every section's data
// shown), how much compressed JavaScript the first page loads, and how long the largest list
// (every terminal) takes to export. The county is the demo's plus 1,000 units and 50,000
// terminals imported as offices send them (COUNTY=0: the demo alone). Prints figures; asserts
// nothing.
// Usage: node web/bench/pages.mjs  (ZWNET_BIN=build/zwnet; runs each page 5 times)
import { Server, browser, login } from '../tests/harness.mjs';

const PAGES = ['/', '/units', '/applications', '/ipam', '/terminals', '/terminals?q=用户4', '/findings', '/violations',
  '/deadlines', '/audit', '/profile', '/search?q=02:5a:00:01:00:01', '/search?q=cgz'];
const RUNS = Number(process.env.RUNS || 5);
const UNITS = process.env.COUNTY === '0' ? 0 : 1000;
const TERMINALS = process.env.COUNTY === '0' ? 0 : 50000;

const srv = await Server.start('tongbai');
const b = await browser();
try {
  if (UNITS) {
    const t0 = Date.now();
    const units = ['单位名称,单位类型,单位层级,办公地址'];
    for (let i = 0; i < UNITS; i++) units.push(`城关镇压测单位${i},${i % 2 ? '事业单位' : '党政机关'},${i % 3 ? '县直' : '乡镇'},测试路${i}号`);
    await srv.importCsv('admin', 'units', units);
    const terms = ['MAC 地址,所属单位,终端类型,使用人'];
    for (let i = 0; i < TERMINALS; i++) {
      const mac = `02:5a:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}:01`;
      terms.push(`${mac},城关镇压测单位${i % UNITS},计算机,用户${i}`);
    }
    for (let i = 1; i < terms.length; i += 25000) await srv.importCsv('admin', 'terminals', [terms[0], ...terms.slice(i, i + 25000)]);
    console.log(`county: ${srv.sql('SELECT count(*) AS n FROM units')[0].n} units, ${srv.sql('SELECT count(*) AS n FROM terminals')[0].n} terminals (imported in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  const page = await login(b, srv, 'admin');
  let js = 0;
  page.on('response', async (r) => {
    if (r.url().endsWith('.js')) js += Number((await r.allHeaders())['content-length'] || 0);
  });
  await page.goto(srv.url + '/units');
  await page.waitForLoadState('networkidle');
  console.log(`first page (/units): ${(js / 1024).toFixed(1)} KB of compressed JavaScript (budget 300 KB)`);
  console.log('page                median ms   max ms   (navigation to interactive, budget 1000 ms)');
  for (const path of PAGES) {
    const t = [];
    for (let i = 0; i < RUNS; i++) {
      const start = Date.now();
      await page.goto(srv.url + path);
      await page.locator('main h1').first().waitFor();
      // every section's data shown: no "正在加载……" left
      await page.waitForFunction(() => !document.body.innerText.includes('正在加载'));
      t.push(Date.now() - start);
    }
    t.sort((a, c) => a - c);
    console.log(`${path.padEnd(20)}${String(t[t.length >> 1]).padStart(9)}${String(t[t.length - 1]).padStart(9)}`);
  }
  // the largest list, every page of it, as a workbook and as CSV (budget 5 s)
  await srv.as('admin', 'GET', '/session');
  for (const format of ['xlsx', 'csv']) {
    const start = Date.now();
    const r = await fetch(`${srv.url}/api/v1/terminals?format=${format}`, { headers: { Authorization: 'Bearer ' + srv.tokens.admin } });
    const bytes = (await r.arrayBuffer()).byteLength;
    console.log(`export of every terminal as ${format}: ${r.status}, ${(bytes / 1048576).toFixed(1)} MB in ${Date.now() - start} ms (budget 5000 ms)`);
  }
} finally {
  await b.close();
  await srv.stop();
}
