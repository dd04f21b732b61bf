// The console's budget (issue 5): how long each main page takes on loopback from navigation
// until it is interactive (its heading and every section's data shown), and how much
// compressed JavaScript the first page loads. Prints figures; asserts nothing.
// Usage: node web/bench/pages.mjs  (ZWNET_BIN=build/zwnet; runs each page 5 times)
import { Server, browser, login } from '../tests/harness.mjs';

const PAGES = ['/', '/units', '/applications', '/ipam', '/deadlines', '/audit', '/profile'];
const RUNS = Number(process.env.RUNS || 5);

const srv = await Server.start('tongbai');
const b = await browser();
try {
  const page = await login(b, srv, 'admin');
  let js = 0;
  page.on('response', async (r) => {
    if (r.url().endsWith('.js')) js += Number((await r.allHeaders())['content-length'] || 0);
  });
  await page.goto(srv.url + '/units');
  await page.waitForLoadState('networkidle');
  console.log(`first page (/units): ${(js / 1024).toFixed(1)} KB of compressed JavaScript (budget 300 KB)`);
  console.log('page            median ms   max ms   (navigation to interactive, budget 1000 ms)');
  for (const path of PAGES) {
    const t = [];
    for (let i = 0; i < RUNS; i++) {
      const start = Date.now();
      await page.goto(srv.url + path);
      await page.locator('main h1').first().waitFor();
      // every section's data shown: no "正在加载……" left
      await page.waitForFunction(() => !document.querySelector('[role="status"]'));
      t.push(Date.now() - start);
    }
    t.sort((a, c) => a - c);
    console.log(`${path.padEnd(16)}${String(t[t.length >> 1]).padStart(9)}${String(t[t.length - 1]).padStart(9)}`);
  }
} finally {
  await b.close();
  await srv.stop();
}
