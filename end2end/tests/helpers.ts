// Find, act and check helpers shared by the browser tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { expect, type Page } from '@playwright/test';

export const PASSWORD = 'rihub-demo-2026';

export const USERS = {
  admin: { email: 'admin@rihub.example', name: 'Amina Diallo (BDT)' },
  coordinatorAfr: { email: 'coordinator.afr@rihub.example', name: 'Kwame Mensah (Addis Ababa)' },
  coordinatorAsp: { email: 'coordinator.asp@rihub.example', name: 'Mei Tanaka (Bangkok)' },
  delegate: { email: 'delegate.ke@rihub.example', name: 'Wanjiru Kamau (Kenya)' },
  partner: { email: 'partner@rihub.example', name: 'Partner (Asian Development Bank)' },
  observer: { email: 'observer@rihub.example', name: 'Observer' },
};

/** Signs in through the login form and waits for the initiatives list. */
export async function signIn(page: Page, email: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Exact: the login page's own heading "Regional Initiatives Hub" must not count as arrival.
  await expect(page.getByRole('heading', { name: 'Regional initiatives', exact: true })).toBeVisible();
  await expect(page).not.toHaveURL(/\/login/);
}

/** Opens the header's menu if it is folded away (on a phone), so its links and tools can be used. */
export async function openMenu(page: Page) {
  const toggle = page.locator('#menu-toggle');
  if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

/** Edits the title of the initiative on screen through its form, and saves. */
export async function editTitle(page: Page, title: string) {
  await page.locator('#edit-initiative').click();
  const field = page.getByLabel('Title', { exact: true });
  await expect(field).not.toHaveValue('');
  await field.fill(title);
  await page.getByRole('button', { name: 'Save' }).click();
}

/** Waits until the device is online, up to date, and has nothing waiting to sync. */
export async function waitUntilSynced(page: Page) {
  await expect(page.locator('#sync-status')).toHaveAttribute('data-connection', 'online');
  await expect(page.locator('#sync-status')).toHaveAttribute('data-caught-up', 'true');
  await expect(page.locator('#pending-count')).toHaveAttribute('data-count', '0');
}

/** Waits until the app works on this device with no network: synced, and the service worker
 * has cached the app (every page's code) and serves this page. The worker is registered only
 * once the device is synced, and caching takes a moment. */
export async function waitUntilReadyOffline(page: Page) {
  await waitUntilSynced(page);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  // A page that was loading while the worker took over may be left unserved by it (a browser
  // race); its next load is served.
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) {
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await waitUntilSynced(page);
  }
}

/** Picks the interface language of a signed-in page and waits until the account remembers
 * it, so no later test of that account starts in it. */
export async function chooseLanguage(page: Page, lang: string) {
  const select = page.locator('#language');
  if ((await select.inputValue()) !== lang) {
    await openMenu(page);
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/me/lang') && r.ok());
    await select.selectOption(lang);
    await saved;
  }
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
}

/** Makes the app's local database open `ms` later on every load of `page` from now on, as on a
 * slow phone: whatever reaches the network first must still be shown once the device's copy is
 * there. */
export async function slowLocalDatabase(page: Page, ms: number) {
  await page.addInitScript((delay) => {
    const open = IDBFactory.prototype.open;
    const onsuccess = Object.getOwnPropertyDescriptor(IDBRequest.prototype, 'onsuccess')!;
    IDBFactory.prototype.open = function (...args: Parameters<IDBFactory['open']>) {
      const request = open.apply(this, args);
      Object.defineProperty(request, 'onsuccess', {
        configurable: true,
        set(handler: (e: Event) => void) { onsuccess.set!.call(request, (e: Event) => setTimeout(() => handler(e), delay)); },
      });
      return request;
    };
  }, ms);
}

/** A server of a test's own, on `databaseUrl` (`mem://`, `surrealkv://path`), for tests that kill
 * it or fill it with records: the suite's server stays as the other tests expect it. */
export function startServer(databaseUrl: string, port: number): ChildProcess {
  return spawn(process.env.RIHUB_SERVER_BIN ?? '../target/debug/rihub-server', ['serve', '--demo'], {
    env: { ...process.env, RIHUB_DATABASE_URL: databaseUrl, RIHUB_BIND: `127.0.0.1:${port}`,
      RIHUB_DIST: process.env.RIHUB_DIST ?? '../dist', RIHUB_LOG: 'warn' },
    stdio: 'ignore',
  });
}

export async function waitUntilUp(base: string) {
  await expect.poll(() => fetch(`${base}/healthz`).then((r) => r.ok, () => false), { timeout: 120_000 }).toBe(true);
}

/** Kills a server started by `startServer` (SIGKILL) and waits until it has exited. */
export async function killServer(server: ChildProcess) {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = once(server, 'exit');
  server.kill('SIGKILL');
  await exited;
}
