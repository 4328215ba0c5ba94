// Live data stops when the right to see it stops: a delegate's roles change while their device
// holds Kenya's draft and an edit queued offline. The device loses what it may no longer read,
// keeps the queued edit and shows it refused; given the role back, the draft returns without a
// reload. Signing the session out elsewhere ends the device's sync at once.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { PASSWORD, USERS, signIn, waitUntilReadyOffline, waitUntilSynced } from './helpers';

/** A request context of its own, signed in as `email` (or as nobody). */
async function apiAs(page: Page, email?: string): Promise<APIRequestContext> {
  const context = await page.context().browser()!.newContext({ baseURL: new URL(page.url()).origin });
  if (email) {
    const login = await context.request.post('/api/auth/login', { data: { email, password: PASSWORD } });
    expect(login.ok()).toBeTruthy();
  }
  return context.request;
}

/** A new account invited by the admin as `roles` and accepted; returns its email and id. */
async function invited(page: Page, admin: APIRequestContext, roles: object[], tag: string): Promise<{ email: string; id: string }> {
  // Short: the Users page of later tests lists it, on a phone too.
  const email = `r${Date.now() % 1_000_000}.${tag.slice(0, 5)}@rihub.example`;
  const created = await admin.post('/api/admin/invites', { data: { email, name: `Rescoped ${tag}`, roles } });
  expect(created.ok()).toBeTruthy();
  const token = (await created.json()).link.split('/').pop();
  const accepted = await (await apiAs(page)).post(`/api/invites/${token}`, { data: { name: `Rescoped ${tag}`, password: PASSWORD } });
  expect(accepted.ok()).toBeTruthy();
  return { email, id: (await accepted.json()).id };
}

test('a delegate whose roles change loses what they may no longer read and keeps their queued edit', async ({ page }, info) => {
  test.setTimeout(90_000);
  await page.goto('/login');
  const admin = await apiAs(page, USERS.admin.email);
  const coordinator = await apiAs(page, USERS.coordinatorAfr.email);
  const delegate = await invited(page, admin, [{ kind: 'delegate', member_state: 'KE' }], info.project.name);
  const id = `rescope_${info.project.name}_${Date.now()}`;
  const now = Math.floor(Date.now() / 1000);
  const fields = { region: 'AFR', title: { en: `Rescope ${id}` }, opens_at: now - 60, closes_at: now + 3600, time_zone: 'UTC', initiatives: ['wtdc22_afr1', 'wtdc17_afr1'] };
  const opened = await coordinator.post('/api/sync/push', { data: { mutations: [{ client: `setup-${id}`, seq: 1, op: { op: 'create', key: { kind: 'consultation', id }, fields } }] } });
  expect((await opened.json()).results[0].outcome.applied).toBeTruthy();

  await signIn(page, delegate.email);
  await page.goto(`/consultations/${id}`);
  await page.locator('#unranked li[data-id="wtdc22_afr1"] .rank-add').click();
  await expect(page.locator('#ranking li')).toHaveCount(1);
  await waitUntilReadyOffline(page);

  // Offline, the delegate ranks one more; meanwhile an administrator makes them an observer.
  await page.context().setOffline(true);
  await page.locator('#unranked li[data-id="wtdc17_afr1"] .rank-add').click();
  await expect(page.locator('#pending-count')).toHaveAttribute('data-count', '1');
  const demoted = await admin.put(`/api/admin/users/${delegate.id}/roles`, { data: { roles: [{ kind: 'observer' }] } });
  expect(demoted.ok()).toBeTruthy();

  // Back online: the device's records are read again with the new roles; the edit is sent,
  // refused, and kept where the person sees it.
  await page.context().setOffline(false);
  await waitUntilSynced(page);
  await expect(page.locator('#attention-count')).toBeVisible();
  await page.goto('/consultations');
  await expect(page.locator(`#consultation-list li[data-id="${id}"]`)).toHaveCount(0);
  await page.goto('/sync');
  await expect(page.locator('#rejected-list .rejected-item')).toHaveCount(1);
  await expect(page.locator('#rejected-list')).toContainText('wtdc17_afr1');

  // Given the role back while the page is open: the consultation and the draft come back.
  await page.goto('/consultations');
  const restored = await admin.put(`/api/admin/users/${delegate.id}/roles`, { data: { roles: [{ kind: 'delegate', member_state: 'KE' }] } });
  expect(restored.ok()).toBeTruthy();
  await page.locator(`#consultation-list li[data-id="${id}"] a`).click();
  await expect(page.locator('#ranking li')).toHaveCount(1);
  await expect(page.locator('#ranking li').first()).toHaveAttribute('data-id', 'wtdc22_afr1');
});

test('a session signed out elsewhere stops the device syncing at once', async ({ page }, info) => {
  await page.goto('/login');
  const admin = await apiAs(page, USERS.admin.email);
  const person = await invited(page, admin, [{ kind: 'observer' }], `out-${info.project.name}`);
  await signIn(page, person.email);
  await waitUntilSynced(page);
  const ended = await admin.put(`/api/admin/users/${person.id}/disabled`, { data: { disabled: true } });
  expect(ended.ok()).toBeTruthy();
  await expect(page.locator('#sync-status')).toHaveAttribute('data-connection', 'signed-out', { timeout: 5_000 });
});
