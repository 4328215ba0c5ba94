// Learning across regions: Asia-Pacific's coordinator writes and publishes an experience report
// in English and French; Africa's coordinator finds it by a French word, looks at what is similar
// in other regions, and replicates the project into Africa; the source shows the replication
// without a reload. Possible duplicates are compared side by side and merged by a person.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { openMenu, signIn, slowLocalDatabase, USERS, waitUntilReadyOffline, waitUntilSynced } from './helpers';

async function pageFor(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  await waitUntilSynced(page);
  return page;
}

async function openProject(page: Page, initiative: string, title: string) {
  await page.goto(`/initiatives/${initiative}`);
  // The record's own project list: "Similar in other regions" may list a replica of the same name.
  await page.locator('article').getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
}

test('a report found by a French word is replicated into Africa, and its source shows where', async ({ browser }, info) => {
  test.setTimeout(120_000);
  const tag = `${info.project.name}${Date.now() % 100000}`;
  const asp = await pageFor(browser, USERS.coordinatorAsp.email);
  await openProject(asp, 'wtdc22_asp1', 'Smart Villages and Smart Islands');

  // The report is written in English, then its French version, and published.
  await asp.locator('#write-report').click();
  await asp.locator('#title').fill(`Smart villages connect rural schools ${tag}`);
  await asp.locator('#lessons').fill('Community ownership of the network and digital skills for teachers kept the schools connected.');
  await asp.locator('#stakeholders').fill('Ministry of ICT\nVillage councils');
  await asp.locator('#recommended').check();
  await asp.locator('#content-lang').selectOption('fr');
  await asp.locator('#title').fill(`Les villages intelligents connectent les écoles rurales ${tag}`);
  await asp.locator('#lessons').fill('La gestion communautaire du réseau et les compétences numériques des enseignants ont gardé les écoles connectées.');
  // Saved with no network: the draft is on the device at once and reaches the server later.
  await asp.context().setOffline(true);
  await asp.getByRole('button', { name: 'Save' }).click();
  await expect(asp).toHaveURL(/\/reports\//);
  await expect(asp.locator('.notice').filter({ hasText: 'Draft' })).toBeVisible();
  await expect(asp.locator('#pending-count')).not.toHaveAttribute('data-count', '0');
  await asp.context().setOffline(false);
  await waitUntilSynced(asp);
  await asp.locator('#publish-report').click();
  await expect(asp.locator('#publish-report')).toHaveCount(0);
  await waitUntilSynced(asp);
  const reportUrl = asp.url();

  // Africa's coordinator searches in French; the match is highlighted in the French text.
  const afr = await pageFor(browser, USERS.coordinatorAfr.email);
  await afr.goto('/search');
  await afr.locator('#search-q').fill(`école ${tag}`);
  await afr.locator('#search-kind').selectOption('report');
  await afr.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(afr).toHaveURL(/q=%C3%A9cole/);
  // Nothing runs off the side of a phone's screen.
  expect(await afr.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  const hit = afr.locator('.found li').first();
  await expect(hit.locator('.snippet[lang="fr"] mark').first()).toHaveText(/écoles/i);
  await hit.getByRole('link').click();
  await expect(afr).toHaveURL(reportUrl);
  await expect(afr.getByRole('heading', { level: 1 })).toContainText('Smart villages connect rural schools');
  // Offline, the device searches the records it holds, by exact words.
  await waitUntilReadyOffline(afr);
  await afr.context().setOffline(true);
  await afr.goto(`/search?q=${encodeURIComponent(`écoles ${tag}`)}`);
  await expect(afr.locator('.notice').filter({ hasText: 'Offline' })).toBeVisible();
  await expect(afr.locator('.found li .snippet[lang="fr"] mark').first()).toHaveText(/écoles/i);
  await afr.context().setOffline(false);
  await afr.goBack();
  await waitUntilSynced(afr);

  // "Similar in other regions": records of other regions than Asia-Pacific, with shared words.
  const similar = afr.locator('section.similar');
  await expect(similar.locator('.found li').first()).toBeVisible();
  await expect(similar).not.toContainText('Asia and the Pacific');
  await expect(similar.locator('.hint').first()).toContainText(/\w+/);

  // Replicate the project into Africa.
  await afr.locator('article').getByRole('link', { name: 'Smart Villages and Smart Islands' }).click();
  await afr.locator('#replicate').click();
  await afr.locator('#replicate-initiative').selectOption('wtdc22_afr1');
  await afr.locator('#replicate-create').click();
  await expect(afr.locator('#replicated-from')).toContainText('Smart Villages and Smart Islands');
  await expect(afr.locator('.card-meta a')).toContainText('AFR1');
  const replicaUrl = afr.url();
  await waitUntilSynced(afr);

  // The source shows the replication, live on the Asia-Pacific coordinator's open page.
  await asp.locator('article').getByRole('link', { name: 'Smart Villages and Smart Islands' }).click();
  const replicas = asp.locator('#replicated-in');
  await expect(replicas).toContainText('Africa');
  await replicas.locator(`a[href="${new URL(replicaUrl).pathname}"]`).click();
  await expect(asp).toHaveURL(replicaUrl);
});

test('possible duplicates are compared side by side and merged by a person, keeping both', async ({ browser }, info) => {
  const afr = await pageFor(browser, USERS.coordinatorAfr.email);
  const code = info.project.name === 'desktop' ? 'AFR8' : 'AFR9';
  const id = `wtdc25_${code.toLowerCase()}`;
  const objective = 'To assist Member States in the Africa region in reaping the full benefits of digital transformation and foster innovation.';
  const push = await afr.request.post('/api/sync/push', { data: { mutations: [{ client: `dup-${code}`, seq: 1, op: { op: 'create',
    key: { kind: 'initiative', id }, fields: { cycle: 'WTDC-25', code, region: 'AFR', title: { en: `Digital transformation ${code}` },
      objective: { en: objective }, level: 'regional', status: 'draft' } } }] } });
  expect((await push.json()).results[0].outcome.applied).toBeTruthy();
  await waitUntilSynced(afr);

  // Each reload below lists the pairs before the device's own copy of the records is open.
  await slowLocalDatabase(afr, 1_500);
  await openMenu(afr);
  await afr.getByRole('link', { name: 'Possible duplicates' }).click();
  await expect(afr).toHaveURL(/\/duplicates$/);
  const pair = afr.locator('.duplicate-pair').filter({ hasText: code }).filter({ hasText: 'AFR1' });
  // The server's similarity index catches up within a second; the page asks it once per load.
  await expect(async () => {
    await afr.reload();
    await expect(pair).toHaveCount(1, { timeout: 5_000 });
  }).toPass({ timeout: 30_000 });
  await expect(pair.locator('.duplicate-side')).toHaveCount(2);
  // Keep the existing initiative: merge the new one into it.
  await pair.locator('.duplicate-side').filter({ hasText: 'WTDC-22' }).locator('.merge-into').click();
  await expect(pair).toHaveCount(0);
  await waitUntilSynced(afr);
  await afr.goto(`/initiatives/${id}`);
  await expect(afr.locator('#merged-into')).toContainText('wtdc22_afr1');
  await afr.goto('/initiatives/wtdc22_afr1');
  await expect(afr.locator('#related')).toContainText(id);
});
