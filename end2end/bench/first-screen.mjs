// Time from opening rihub to the list of initiatives on a slow link, for a signed-in user whose
// browser has nothing cached (no service worker, no HTTP cache): what a delegate's phone sees
// on first use at a conference.
//
//   node bench/first-screen.mjs [base URL] [runs]
//
// Needs a server with the demo data (`rihub-server serve --demo`). The link: 1.6 Mbit/s down,
// 750 kbit/s up, 150 ms round trip, close to Chrome DevTools' "Slow 4G". Chromium asks for
// brotli (and zstd) from a server on 127.0.0.1 as it does over HTTPS; `ENCODING=gzip` makes it
// ask for gzip only, as an older browser or a plain-HTTP site would.
import { chromium } from '@playwright/test';

const base = process.argv[2] ?? 'http://127.0.0.1:3100';
const runs = Number(process.argv[3] ?? 5);
const LINK = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const times = [];
for (let i = 0; i < runs; i++) {
  const extraHTTPHeaders = process.env.ENCODING ? { 'Accept-Encoding': process.env.ENCODING } : {};
  const context = await browser.newContext({ baseURL: base, serviceWorkers: 'block', extraHTTPHeaders });
  const login = await context.request.post('/api/auth/login', { data: { email: 'partner@rihub.example', password: 'rihub-demo-2026' } });
  if (!login.ok()) throw new Error(`sign-in failed: ${login.status()}`);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', LINK);
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  const started = performance.now();
  await page.goto('/');
  await page.getByRole('heading', { name: 'Regional initiatives', exact: true }).waitFor();
  await page.locator('#initiative-list > li').first().waitFor();
  const ms = performance.now() - started;
  times.push(ms);
  console.log(`run ${i + 1}: ${(ms / 1000).toFixed(2)} s, ${Math.round(bytes / 1024)} KiB transferred by then`);
  await context.close();
}
await browser.close();
times.sort((a, b) => a - b);
console.log(`median ${(times[Math.floor(times.length / 2)] / 1000).toFixed(2)} s over ${runs} runs`);
