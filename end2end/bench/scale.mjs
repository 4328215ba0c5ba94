// A coordinator's device with tens of thousands of records, on a phone profile (4× CPU
// slowdown, 1.6 Mbit/s down, 150 ms round trip): the first sign-in (until the list of
// initiatives shows, and until every record is on the device), a reload while offline (until
// the list shows, and until every saved record is read), a project page opened from the list,
// and the page's memory (JavaScript heap and the app's WebAssembly memory).
//
//   node bench/scale.mjs <base URL> [email]
//
// Needs a release build served with many records: `target/release/rihub-bench-scale --serve 900`
// prints the address of such a server.
import { execSync } from 'node:child_process';
import { chromium } from '@playwright/test';

const base = process.argv[2] ?? 'http://127.0.0.1:3100';
const email = process.argv[3] ?? 'coordinator.afr@rihub.example';
const LINK = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--enable-precise-memory-info'],
});
const context = await browser.newContext({ baseURL: base, viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
const login = await context.request.post('/api/auth/login', { data: { email, password: 'rihub-demo-2026' } });
if (!login.ok()) throw new Error(`sign-in failed: ${login.status()}`);
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Network.enable');
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
await cdp.send('Network.emulateNetworkConditions', LINK);

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const firstRow = () => page.locator('#initiative-list > li').first().waitFor({ timeout: 600_000 });
/** Until the device holds every record: nothing being read or received, and caught up. */
const complete = () => page.waitForFunction(() => !document.querySelector('#progress-notice')
  && document.querySelector('#sync-status')?.getAttribute('data-caught-up') === 'true', null, { timeout: 1_800_000, polling: 200 });
/** The page's memory: the JavaScript heap, and the resident size of the largest renderer
 * process (the page, with its WebAssembly memory and its share of the browser's caches). */
const memory = async () => {
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const renderers = execSync('ps -eo rss=,args=').toString().split('\n').filter((l) => l.includes('--type=renderer'));
  const rss = Math.max(...renderers.map((l) => Number(l.trim().split(' ')[0]) / 1024));
  return `JS heap ${Math.round(usedSize / 1_048_576)} MiB, renderer ${Math.round(rss)} MiB`;
};

let started = performance.now();
await page.goto('/');
await firstRow();
console.log(`first sign-in: list of initiatives after ${seconds(performance.now() - started)}`);
await complete();
console.log(`first sign-in: every record on the device after ${seconds(performance.now() - started)}; ${await memory()}`);

// The service worker caches the app once the device is synced.
await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 600_000 }).catch(async () => {
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 600_000 });
});
await complete();
await context.setOffline(true);
started = performance.now();
await page.reload();
await firstRow();
console.log(`offline reload: list of initiatives after ${seconds(performance.now() - started)}`);
await page.waitForFunction(() => !document.querySelector('#progress-notice'), null, { timeout: 600_000, polling: 100 });
console.log(`offline reload: every saved record read after ${seconds(performance.now() - started)}; ${await memory()}`);

const link = page.locator('#initiative-list > li h2 a').first();
await link.click();
const project = page.locator('ul.cards a[href^="/projects/"]').first();
await project.waitFor({ timeout: 600_000 });
const title = (await project.textContent()).trim();
started = performance.now();
await project.click();
await page.locator('h1', { hasText: title }).waitFor();
console.log(`a project page opened from its initiative: ${Math.round(performance.now() - started)} ms; ${await memory()}`);
await browser.close();
