// A device's first sync of thousands of records: the first screen shows while they arrive,
// with how many are on the device so far; an initiative with thousands of projects renders
// only the rows near the screen; everything works offline afterwards; and a first sync cut
// short is received again whole. These tests run their own server (in-memory database), since
// they write thousands of records.
import { type ChildProcess } from 'node:child_process';
import { expect, request, test, type Page, type TestInfo } from '@playwright/test';
import { PASSWORD, USERS, killServer, signIn, startServer, waitUntilReadyOffline, waitUntilSynced, waitUntilUp } from './helpers';

const INITIATIVE = 'wtdc22_afr1';
const PROJECTS = 3000;

test.describe.configure({ mode: 'serial' });

let server: ChildProcess;
let base: string;

test.beforeAll(async ({}, info) => {
  test.setTimeout(300_000);
  const port = info.project.name === 'phone' ? 3104 : 3103;
  base = `http://127.0.0.1:${port}`;
  server = startServer('mem://', port);
  await waitUntilUp(base);
  const admin = await request.newContext({ baseURL: base });
  expect((await admin.post('/api/auth/login', { data: { email: USERS.admin.email, password: PASSWORD } })).ok()).toBe(true);
  // Starting after the demo projects, in the order of their numbers as text: scale999 is last.
  for (let batch = 0; batch < PROJECTS / 100; batch++) {
    const mutations = Array.from({ length: 100 }, (_, i) => {
      const n = batch * 100 + i;
      const fields = { initiative: INITIATIVE, title: { en: `Scale project ${n}` }, status: 'planned', start: '2099-01-01' };
      return { client: 'scale', seq: n + 1, op: { op: 'create', key: { kind: 'project', id: `scale${n}` }, fields } };
    });
    expect((await admin.post('/api/sync/push', { data: { mutations } })).ok()).toBe(true);
  }
});

test.afterAll(async () => {
  await killServer(server);
});

/** A page of a new device (its own browser storage) on this test's server. */
async function newDevice(browser: import('@playwright/test').Browser, info: TestInfo): Promise<Page> {
  const { viewport, isMobile, hasTouch } = info.project.use;
  return (await browser.newContext({ baseURL: base, viewport, isMobile, hasTouch })).newPage();
}

/** The titles of the windowed list's rows that are on screen. */
function titlesOnScreen(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll('ul.cards.windowed > li')]
    .filter((li) => { const r = li.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; })
    .map((li) => li.querySelector('h3')?.textContent ?? ''));
}

test('thousands of records are shown as they arrive, windowed, and offline', async ({ browser }, info) => {
  test.setTimeout(300_000);
  const page = await newDevice(browser, info);
  // Every count the progress notice showed, kept by the page: it comes and goes between polls.
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.assign(window, { receivingSeen: seen });
    new MutationObserver(() => {
      const text = document.querySelector('#progress-text')?.textContent;
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  await signIn(page, USERS.coordinatorAfr.email);
  await waitUntilReadyOffline(page);
  const seen: string[] = await page.evaluate(() => (window as unknown as { receivingSeen: string[] }).receivingSeen);
  expect(seen.length, `counts shown: ${seen.join(' | ')}`).toBeGreaterThan(1);
  for (const text of seen) expect(text).toMatch(/^Records on this device: [\d,]+ of [\d,]+$/);
  const [received, total] = seen.at(-1)!.replace(/^\D+/, '').split(' of ').map((n) => Number(n.replaceAll(',', '')));
  expect(received).toBeLessThanOrEqual(total);
  expect(total).toBeGreaterThan(PROJECTS);
  await expect(page.locator('#progress-notice')).toHaveCount(0);

  // The initiative's projects: only the rows near the screen are on the page.
  await page.goto(`/initiatives/${INITIATIVE}`);
  const list = page.locator('ul.cards.windowed');
  await expect(list.locator('> li').first()).toBeVisible();
  expect(await list.locator('> li').count()).toBeLessThan(100);
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await expect(list.locator('> li').last()).toContainText('Scale project 999');
  expect(await list.locator('> li').count()).toBeLessThan(100);
  // Halfway down, the rows there (the list is as tall as all its rows): in the order of ids
  // as text, scale2 to scale2999 are the 1,112th to 2,222nd of the 3,000.
  await page.evaluate(() => {
    const list = document.querySelector('ul.cards.windowed')!;
    window.scrollTo(0, list.getBoundingClientRect().top + window.scrollY + list.scrollHeight / 2);
  });
  await expect.poll(() => titlesOnScreen(page)).toEqual(expect.arrayContaining([expect.stringMatching(/^Scale project 2\d*$/)]));
  const onScreen = await titlesOnScreen(page);
  expect(onScreen.length).toBeGreaterThan(2);
  for (const title of onScreen) expect(title).toMatch(/^Scale project 2\d*$/);

  // Offline, a reload shows them again from the device.
  await page.context().setOffline(true);
  await page.reload();
  await expect(list.locator('> li').first()).toBeVisible();
  expect(await list.locator('> li').count()).toBeLessThan(100);
  await page.context().setOffline(false);
});

test('a first sync cut short is received again whole', async ({ browser }, info) => {
  test.setTimeout(300_000);
  const page = await newDevice(browser, info);
  // The first socket closes after the second page of the snapshot; the next ones pass.
  let sockets = 0;
  await page.routeWebSocket(/\/api\/sync\/socket$/, (ws) => {
    const first = ++sockets === 1;
    const upstream = ws.connectToServer();
    let pages = 0;
    ws.onMessage((message) => upstream.send(message));
    upstream.onMessage((message) => {
      ws.send(message);
      if (first && String(message).startsWith('{"snapshot":') && ++pages === 2) {
        upstream.close();
        ws.close();
      }
    });
    upstream.onClose((code, reason) => ws.close({ code, reason }));
  });
  await signIn(page, USERS.coordinatorAfr.email);
  await waitUntilSynced(page);
  expect(sockets).toBeGreaterThan(1);
  await expect(page.locator('#progress-notice')).toHaveCount(0);
  // Every project of the initiative is on the device, as the server has them.
  const api = await request.newContext({ baseURL: base });
  await api.post('/api/auth/login', { data: { email: USERS.coordinatorAfr.email, password: PASSWORD } });
  const expected = (await (await api.get(`/api/initiatives/${INITIATIVE}`)).json()).projects.length;
  expect(expected).toBeGreaterThanOrEqual(PROJECTS);
  await page.goto(`/initiatives/${INITIATIVE}`);
  await expect(page.locator('#initiative-project-count')).toHaveAttribute('data-count', String(expected));
});
