// A consultation from opening to published results: a delegate on a phone drafts offline and
// submits once online; the coordinator watches the answers arrive without reloading, publishes
// after the close, and another delegate reads the results in French.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { chooseLanguage, PASSWORD, signIn, USERS, waitUntilSynced } from './helpers';

const KENYA_2 = 'delegate2.ke@rihub.example';
const GHANA = 'delegate.gh@rihub.example';

async function pageFor(browser: Browser, email: string, phone = false): Promise<Page> {
  const context = await browser.newContext(phone ? { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true } : {});
  const page = await context.newPage();
  await signIn(page, email);
  await waitUntilSynced(page);
  return page;
}

/** Opens a consultation through the sync API as the signed-in coordinator of `page`. */
async function openConsultation(page: Page, id: string, closesIn: number) {
  const now = Math.floor(Date.now() / 1000);
  const fields = { region: 'AFR', title: { en: `Priorities ${id}` }, opens_at: now - 60, closes_at: now + closesIn,
    time_zone: 'Africa/Addis_Ababa', initiatives: ['wtdc22_afr1', 'wtdc17_afr1', 'wtdc17_afr2'] };
  const push = await page.request.post('/api/sync/push', { data: { mutations: [
    { client: `setup-${id}`, seq: 1, op: { op: 'create', key: { kind: 'consultation', id }, fields } },
  ] } });
  expect((await push.json()).results[0].outcome.applied).toBeTruthy();
}

test('a delegate drafts offline and submits; the coordinator sees it live, publishes, and another delegate reads the results in French', async ({ browser }, info) => {
  test.setTimeout(150_000);
  const id = `e2e_${info.project.name}_${Date.now()}`;
  const closesIn = 40;
  const coordinator = await pageFor(browser, USERS.coordinatorAfr.email);
  await openConsultation(coordinator, id, closesIn);
  const opened = Date.now();
  await coordinator.goto(`/consultations/${id}`);
  const kenyaRow = coordinator.locator('#status-board tr[data-state="KE"]');
  await expect(kenyaRow).toHaveAttribute('data-status', 'none');
  // Member States by their names in the reader's language (data fetched when first shown).
  await expect(kenyaRow.locator('th')).toHaveText('Kenya');
  try {
    await chooseLanguage(coordinator, 'ar');
    await expect(kenyaRow.locator('th')).toHaveText('كينيا');
  } finally {
    await chooseLanguage(coordinator, 'en');
  }

  // The delegate, on a phone, loses the network and drafts anyway.
  const delegate = await pageFor(browser, USERS.delegate.email, true);
  await delegate.goto('/consultations');
  await delegate.locator(`#consultation-list li[data-id="${id}"] a`).click();
  await expect(delegate.locator('#draft')).toBeVisible();
  await delegate.context().setOffline(true);
  await delegate.locator('#unranked li[data-id="wtdc17_afr1"] .rank-add').click();
  await delegate.locator('#unranked li[data-id="wtdc22_afr1"] .rank-add').click();
  await expect(delegate.locator('#ranking li')).toHaveCount(2);
  await delegate.locator('#add-offer input[name="amount"]').fill('250000');
  await delegate.locator('#add-offer button').click();
  await expect(delegate.locator('#financing li')).toHaveCount(1);
  await expect(delegate.locator('#pending-count')).not.toHaveAttribute('data-count', '0');

  // Back online: the draft reaches the server; the coordinator sees a draft, not its content.
  await delegate.context().setOffline(false);
  await waitUntilSynced(delegate);
  await expect(kenyaRow).toHaveAttribute('data-status', 'draft');
  // The coordinator reminds Kenya; its delegates see the reminder on every page until they submit.
  await kenyaRow.locator('.remind').click();
  await expect(kenyaRow.locator('.reminded')).toBeVisible();
  const reminder = delegate.locator(`.reminder[data-consultation="${id}"]`);
  await expect(reminder).toBeVisible();
  await delegate.locator('#submit-contribution').click();
  await expect(delegate.locator('#receipt')).toHaveAttribute('data-version', '1');
  await expect(delegate.locator('#receipt code')).toHaveText(/^[0-9a-f]{64}$/);
  await expect(kenyaRow).toHaveAttribute('data-status', 'submitted');
  await expect(reminder).toHaveCount(0);
  // The results form as answers come in, for the coordinator only until published.
  await expect(coordinator.locator('#priority-results tbody tr').first()).toHaveAttribute('data-initiative', 'wtdc17_afr1');

  // The other Kenyan delegate sees the same draft and the receipt.
  const colleague = await pageFor(browser, KENYA_2);
  await colleague.goto(`/consultations/${id}`);
  await expect(colleague.locator('#ranking li').first()).toHaveAttribute('data-id', 'wtdc17_afr1');
  await expect(colleague.locator('#receipt')).toHaveAttribute('data-version', '1');

  // After the close the coordinator publishes: the button appears on the open page.
  await expect(coordinator.locator('#publish-results')).toHaveCount(0);
  await coordinator.waitForTimeout(Math.max(0, closesIn * 1000 - (Date.now() - opened) + 1500));
  await coordinator.locator('#publish-results').click();
  await expect(coordinator.locator('#results')).toHaveAttribute('data-published', 'true');
  // The results export as CSV and JSON.
  const csv = decodeURIComponent((await coordinator.locator('#export-csv').getAttribute('href'))!.split(',').slice(1).join(','));
  expect(csv).toContain('priority,initiative,points,mean_rank,spread,ranked_by\n1,wtdc17_afr1,');
  expect(csv).toContain('cash,USD,250000,1');
  const json = JSON.parse(decodeURIComponent((await coordinator.locator('#export-json').getAttribute('href'))!.split(',').slice(1).join(',')));
  expect(json.submissions).toBe(1);
  expect(json.financing[0]).toEqual({ kind: 'cash', currency: 'USD', total: 250000, offers: 1 });

  // Ghana's delegate reads the published results in French.
  const ghana = await pageFor(browser, GHANA);
  try {
    await chooseLanguage(ghana, 'fr');
    await ghana.goto(`/consultations/${id}`);
    await expect(ghana.locator('#results-heading')).toHaveText('Résultats');
    await expect(ghana.locator('#priority-results tbody tr').first()).toHaveAttribute('data-initiative', 'wtdc17_afr1');
    await expect(ghana.locator('#financing-results')).toContainText('250');
    await expect(ghana.locator('#draft')).toHaveCount(0);
  } finally {
    await chooseLanguage(ghana, 'en');
  }
});

test('a late submission is refused by the server and its content stays with the delegate', async ({ browser }, info) => {
  test.setTimeout(90_000);
  const id = `late_${info.project.name}_${Date.now()}`;
  const coordinator = await pageFor(browser, USERS.coordinatorAfr.email);
  await openConsultation(coordinator, id, 12);
  const delegate = await pageFor(browser, USERS.delegate.email, true);
  await delegate.goto(`/consultations/${id}`);
  await delegate.locator('#unranked li[data-id="wtdc22_afr1"] .rank-add').click();
  await waitUntilSynced(delegate);
  await delegate.context().setOffline(true);
  await delegate.locator('#submit-contribution').click();
  await delegate.waitForTimeout(13_000);
  await delegate.context().setOffline(false);
  await expect(delegate.locator('#attention-count')).toBeVisible();
  await delegate.goto('/sync');
  await expect(delegate.locator('#rejected-list')).toContainText('The consultation has closed');
  await expect(delegate.locator('#rejected-list')).toContainText('wtdc22_afr1');
});

test('a coordinator opens a consultation with the form, in a chosen time zone', async ({ page }, info) => {
  await signIn(page, USERS.coordinatorAfr.email);
  await page.goto('/consultations/new');
  const title = `Consultation by form (${info.project.name})`;
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.locator('#opens_at').fill('2030-03-01T09:00');
  await page.locator('#closes_at').fill('2030-03-31T17:00');
  await page.locator('#time_zone').selectOption('Africa/Addis_Ababa');
  await page.locator('#initiatives input[value="wtdc22_afr1"]').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(/\/consultations\/[0-9a-f]{26}$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  // 09:00 in Addis Ababa (UTC+3) is 06:00 UTC.
  await expect(page.locator('.facts dd').first()).toContainText('9:00');
  await expect(page.locator('.facts dd').first()).toContainText('Africa/Addis_Ababa');
  await expect(page.locator('#consultation-standing')).toContainText('Opens');
  // Without initiatives the form says what is missing, and nothing is created.
  await page.goto('/consultations/new');
  await page.getByLabel('Title', { exact: true }).fill('Incomplete');
  await page.locator('#opens_at').fill('2030-03-01T09:00');
  await page.locator('#closes_at').fill('2030-03-31T17:00');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#initiatives')).toContainText(/./);
  await expect(page).toHaveURL(/\/consultations\/new$/);
});
