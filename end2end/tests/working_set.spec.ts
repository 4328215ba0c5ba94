// Working sets: a device keeps its own region's projects whole and a summary of other regions';
// a project opened is fetched whole and stays readable offline, and a region followed from the
// Sync page comes whole.
import { expect, test, type Browser } from '@playwright/test';
import { signIn, USERS, waitUntilReadyOffline, waitUntilSynced } from './helpers';

/** Creates a project through the admin's HTTP push; returns its id. */
async function createProject(browser: Browser, initiative: string, title: string, summary: string): Promise<string> {
  const context = await browser.newContext();
  const admin = await context.newPage();
  await signIn(admin, USERS.admin.email);
  const id = `ws${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const fields = { initiative, title: { en: title }, summary: { en: summary }, status: 'planned' };
  const response = await admin.request.post('/api/sync/push', {
    data: { mutations: [{ client: id, seq: 1, op: { op: 'create', key: { kind: 'project', id }, fields } }] },
  });
  expect((await response.json()).results[0].outcome.applied).toBeGreaterThan(0);
  await context.close();
  return id;
}

test('another region’s project is a summary until opened, then whole offline; a followed region comes whole', async ({ page, browser }, info) => {
  test.setTimeout(120_000);
  const tag = `${info.project.name}${Date.now() % 100000}`;
  await createProject(browser, 'wtdc22_asp1', `Island hubs ${tag}`, `Solar-powered hubs ${tag}`);
  const european = await createProject(browser, 'wtdc22_eur1', `Rural fibre ${tag}`, `Open-access fibre ${tag}`);
  await signIn(page, USERS.coordinatorAfr.email);
  await waitUntilReadyOffline(page);

  // Offline, the list shows the project from its summary, and its page says only that is here.
  await page.context().setOffline(true);
  await page.goto('/initiatives/wtdc22_asp1');
  await page.locator('article').getByRole('link', { name: `Island hubs ${tag}` }).click();
  await expect(page.locator('#summary-only')).toBeVisible();
  await expect(page.getByText(`Solar-powered hubs ${tag}`)).toHaveCount(0);

  // Back online, the page fetches it whole.
  await page.context().setOffline(false);
  await expect(page.getByText(`Solar-powered hubs ${tag}`)).toBeVisible();
  await waitUntilSynced(page);

  // Opened once, it is kept whole: readable offline after a reload.
  await page.context().setOffline(true);
  await page.reload();
  await expect(page.getByText(`Solar-powered hubs ${tag}`)).toBeVisible();
  await page.context().setOffline(false);
  await waitUntilSynced(page);

  // The person's own region is always whole; following Europe brings its projects whole.
  await page.goto('/sync');
  await expect(page.locator('#followed-regions input[data-region="AFR"]')).toBeChecked();
  await expect(page.locator('#followed-regions input[data-region="AFR"]')).toBeDisabled();
  await page.locator('#followed-regions input[data-region="EUR"]').check();
  await waitUntilSynced(page);
  await page.context().setOffline(true);
  await page.goto(`/projects/${european}`);
  await expect(page.getByText(`Open-access fibre ${tag}`)).toBeVisible();
  await expect(page.locator('#summary-only')).toHaveCount(0);
  await page.goto('/sync');
  await expect(page.locator('#followed-regions input[data-region="EUR"]')).toBeChecked();
  await page.context().setOffline(false);
});
