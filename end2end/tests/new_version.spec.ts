// A new app version is installed in the background and offered only once no change waits to
// sync, so a new version never starts from a queue the old one wrote and did not send; unless
// the server no longer speaks the old version's protocol, when the queue could never go.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { USERS, signIn, waitUntilReadyOffline, waitUntilSynced } from './helpers';

const serviceWorker = join(process.env.RIHUB_DIST ?? '../dist', 'sw.js');
const original = readFileSync(serviceWorker, 'utf8');

// Each test deploys a "new version" by rewriting the service worker.
test.afterEach(() => writeFileSync(serviceWorker, original));

/** Opens an initiative on a page the installed service worker serves, synced. */
async function openInstalled(page: Page) {
  await signIn(page, USERS.coordinatorAfr.email);
  await page.goto('/initiatives/wtdc17_afr2');
  await waitUntilReadyOffline(page);
  await expect(page.locator('#initiative-title')).not.toBeEmpty();
}

/** Edits the title while the socket is held (routed by the caller): the edit stays queued. */
async function queueTitleEdit(page: Page, context: BrowserContext, title: string) {
  await context.setOffline(true);
  await context.setOffline(false);
  await page.locator('#edit-initiative').click();
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#pending-count')).toHaveText('1 change waiting to sync');
}

test('a new version waits for the outbox to empty, then reloads into it', async ({ page, context }, info) => {
  await openInstalled(page);
  let serverReachable = false;
  await page.routeWebSocket(/\/api\/sync\/socket/, (ws) => {
    if (serverReachable) ws.connectToServer();
  });
  const title = `Before the update ${info.project.name} ${Date.now()}`;
  await queueTitleEdit(page, context, title);

  // A new version is deployed and found.
  writeFileSync(serviceWorker, `${original}\n// next version ${Date.now()}\n`);
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
  const offer = page.locator('#new-version');
  await expect(offer).toContainText('A new version of rihub is available.');
  await expect(offer.getByRole('button', { name: 'Reload' })).toBeDisabled();
  await expect(offer).toContainText('once your changes are synced');

  // The server is back: the queue drains, and the reload is offered.
  serverReachable = true;
  await context.setOffline(true);
  await context.setOffline(false);
  await expect(page.locator('#pending-count')).toHaveAttribute('data-count', '0');
  await offer.getByRole('button', { name: 'Reload' }).click();
  await page.waitForEvent('load');
  await expect(page.locator('#initiative-title')).toHaveText(title);
  await expect(page.locator('#new-version')).toHaveCount(0);
});

test('an app whose sync protocol the server no longer speaks takes the new version with its queue', async ({ page, context }, info) => {
  await openInstalled(page);
  // The socket is held (an edit waits in the outbox), then answered by a server that speaks a
  // newer protocol, then by the real one.
  let server: 'silent' | 'newer' | 'real' = 'silent';
  await page.routeWebSocket(/\/api\/sync\/socket/, (ws) => {
    if (server === 'real') return ws.connectToServer();
    ws.onMessage((message) => {
      if (server === 'newer' && JSON.parse(String(message)).type === 'hello') {
        ws.send(JSON.stringify({ error: { code: 'protocol', message: 'this server speaks sync protocol v99; reload to update' } }));
      }
    });
  });
  const title = `Across protocols ${info.project.name} ${Date.now()}`;
  await queueTitleEdit(page, context, title);

  // The new version is deployed with its server: this version can never send its queue.
  const next = `next-${Date.now()}`;
  writeFileSync(serviceWorker, original.replace(/const VERSION = "[^"]*"/, `const VERSION = "${next}"`));
  server = 'newer';
  await context.setOffline(true);
  await context.setOffline(false);
  const notice = page.locator('#outdated-notice');
  await expect(notice).toContainText('This version of rihub is out of date.');
  await expect(page.locator('#pending-count')).toHaveText('1 change waiting to sync');

  // Reload takes the new version now (a plain reload would keep the old one running), and the
  // new version sends the queue.
  server = 'real';
  await notice.getByRole('button', { name: 'Reload' }).click();
  await page.waitForEvent('load');
  await expect(page.locator('#initiative-title')).toHaveText(title);
  await waitUntilSynced(page);
  await expect(notice).toHaveCount(0);
  // The new version is the one running: its files are the only ones cached.
  expect(await page.evaluate(() => caches.keys())).toEqual([next]);
  const saved = await (await page.request.get('/api/initiatives/wtdc17_afr2')).json();
  expect(saved.initiative.title.en).toBe(title);
});
