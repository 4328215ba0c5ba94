// The server killed (SIGKILL) in the middle of a browser's push and started again on the same
// database: the edit it applied but could not confirm is sent again and applied once; the edit
// made while it was down waits in the outbox and arrives after. This test runs its own server
// (surrealkv in a temporary directory), since it kills it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { USERS, editTitle, killServer, signIn, startServer, waitUntilSynced, waitUntilUp } from './helpers';

const INITIATIVE = 'wtdc17_afr1';

/** The (client, sequence number) of every change of the initiative made by a device, in log order. */
async function devicesChanges(request: APIRequestContext): Promise<string[]> {
  const found: string[] = [];
  for (let cursor = 0; ;) {
    const page = await (await request.get(`/api/sync/pull?cursor=${cursor}`)).json();
    if (page.changes.length === 0) return found;
    for (const c of page.changes) {
      if (c.key.id === INITIATIVE && c.client_seq > 0) found.push(`${c.client}#${c.client_seq}`);
    }
    cursor = page.changes.at(-1).seq;
  }
}

test('a server killed in the middle of a push loses no edit and applies none twice', async ({ browser }, info) => {
  test.setTimeout(240_000);
  const port = info.project.name === 'phone' ? 3102 : 3101;
  const base = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'rihub-restart-'));
  let server = startServer(`surrealkv://${join(dir, 'rihub.db')}`, port);
  try {
    await waitUntilUp(base);
    const { viewport, isMobile, hasTouch } = info.project.use;
    const page = await (await browser.newContext({ baseURL: base, viewport, isMobile, hasTouch })).newPage();
    // The sync socket passes through here: once armed, the first push reaches the server, the
    // server is killed as soon as it has applied it, and its answer never reaches the page.
    let armed = false;
    let killing: Promise<void> | undefined;
    await page.routeWebSocket(/\/api\/sync\/socket$/, (ws) => {
      const upstream = ws.connectToServer();
      let cut = false;
      ws.onMessage((message) => {
        upstream.send(message);
        if (armed && String(message).includes('"type":"push"')) {
          armed = false;
          cut = true;
          killing = (async () => {
            await expect.poll(async () => (await devicesChanges(page.request)).length, { timeout: 30_000 }).toBe(1);
            await killServer(server);
          })();
        }
      });
      upstream.onMessage((message) => {
        if (!cut) ws.send(message);
      });
      upstream.onClose((code, reason) => ws.close({ code, reason }));
    });
    await signIn(page, USERS.coordinatorAfr.email);
    await page.goto(`/initiatives/${INITIATIVE}`);
    await waitUntilSynced(page);

    const first = `Applied before the kill ${info.project.name}`;
    armed = true;
    await editTitle(page, first);
    await expect.poll(() => killing !== undefined).toBe(true);
    await killing;
    await expect(page.locator('#sync-status')).not.toHaveAttribute('data-connection', 'online');
    // Never confirmed, so still waiting on this device, with the edit made while the server is down.
    const second = `Made while the server was down ${info.project.name}`;
    await editTitle(page, second);
    await expect(page.locator('#initiative-title')).toHaveText(second);
    await expect(page.locator('#pending-count')).toHaveAttribute('data-count', '2');

    server = startServer(`surrealkv://${join(dir, 'rihub.db')}`, port);
    await waitUntilUp(base);
    // The device retries with a growing pause (up to 30 s); the server's restart takes a few.
    await expect(page.locator('#pending-count')).toHaveAttribute('data-count', '0', { timeout: 90_000 });
    await waitUntilSynced(page);

    const changes = await devicesChanges(page.request);
    expect(changes).toHaveLength(2);
    expect(new Set(changes).size).toBe(2);
    const stored = await (await page.request.get(`/api/initiatives/${INITIATIVE}`)).json();
    expect(stored.initiative.title.en).toBe(second);
    await page.context().close();
  } finally {
    await killServer(server);
    rmSync(dir, { recursive: true, force: true });
  }
});
