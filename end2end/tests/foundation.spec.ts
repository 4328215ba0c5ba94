// Signing in as every role, editing within one's region only, and admin pages for admins only.
import { expect, test } from '@playwright/test';
import { chooseLanguage, openMenu, signIn, USERS } from './helpers';

for (const [role, user] of Object.entries(USERS)) {
  test(`${role} signs in, sees the initiatives and signs out`, async ({ page }) => {
    await signIn(page, user.email);
    await expect(page.locator('.user strong')).toHaveText(user.name);
    await expect(page.locator('#initiative-list > li').first()).toBeVisible();
    await openMenu(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    // The session is gone on the server, not only in the page.
    expect((await page.request.get('/api/me')).status()).toBe(401);
  });
}

test('a wrong password gets a clear message and no session', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill(USERS.observer.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Email or password is wrong');
  expect((await page.request.get('/api/me')).status()).toBe(401);
});

test('the list filters by region and by text', async ({ page }) => {
  await signIn(page, USERS.observer.email);
  await page.locator('#filter-region').selectOption('CIS');
  await expect(page.locator('#initiative-list > li')).toHaveCount(6);
  await page.locator('#search').fill('e-health');
  await expect(page.locator('#initiative-list > li')).toHaveCount(1);
  await expect(page.locator('#initiative-list')).toContainText('Development of e-health');
});

test('links open pages without reloading; back, forward, a new query and an unknown path', async ({ page }) => {
  await signIn(page, USERS.observer.email);
  // Gone if the document is loaded again.
  await page.evaluate(() => { (window as unknown as { sameDocument: boolean }).sameDocument = true; });
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await openMenu(page);
  await expect(nav.getByRole('link', { name: 'Initiatives' })).toHaveAttribute('aria-current', 'page');

  await page.locator('#initiative-list a[href="/initiatives/wtdc22_afr1"]').click();
  await expect(page).toHaveURL(/\/initiatives\/wtdc22_afr1$/);
  await expect(page.locator('#initiative-title')).toContainText('digital transformation');
  await openMenu(page);
  await expect(nav.getByRole('link', { name: 'Initiatives' })).not.toHaveAttribute('aria-current', 'page');
  await page.goBack();
  await expect(page.locator('#initiative-list > li').first()).toBeVisible();
  await page.goForward();
  await expect(page.locator('#initiative-title')).toContainText('digital transformation');

  // A new query keeps the page: the form is the same element, marked before.
  await openMenu(page);
  await nav.getByRole('link', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\/search$/);
  await openMenu(page);
  await expect(nav.getByRole('link', { name: 'Search' })).toHaveAttribute('aria-current', 'page');
  await page.locator('form.search-form').evaluate((form) => form.setAttribute('data-marked', ''));
  await page.locator('#search-q').fill('e-health');
  await page.locator('#search-q').press('Enter');
  await expect(page).toHaveURL(/\/search\?q=e-health/);
  await expect(page.locator('form.search-form[data-marked]')).toHaveCount(1);
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);

  // The skip link takes the keyboard's focus to the page's content.
  await page.locator('a.skip').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main')).toBeFocused();

  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

test('from one initiative to another, the page shows the other one, and a newer link wins over a page still loading', async ({ browser, baseURL }) => {
  // Without the service worker, so a page group's chunk comes from the network and can be held back.
  const context = await browser.newContext({ baseURL, serviceWorkers: 'block' });
  const page = await context.newPage();
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  await page.route(/\/split_consulting\.wasm$/, async (route) => { await held; await route.continue(); });
  await signIn(page, USERS.observer.email);

  await page.goto('/initiatives/wtdc22_afr1');
  await expect(page.locator('#initiative-title')).toContainText('digital transformation');
  // A link to another record of the same route: the page is made for it.
  await page.evaluate(() => {
    const a = document.createElement('a');
    a.href = '/initiatives/wtdc22_asp1';
    a.id = 'to-other';
    a.textContent = 'other';
    document.querySelector('main')!.append(a);
  });
  await page.locator('#to-other').click();
  await expect(page).toHaveURL(/\/initiatives\/wtdc22_asp1$/);
  await expect(page.locator('#initiative-title')).toContainText('least developed');

  // The consultations' code is held back; a link elsewhere meanwhile is the one shown, and stays.
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await openMenu(page);
  await nav.getByRole('link', { name: 'Consultations' }).click();
  await openMenu(page);
  await nav.getByRole('link', { name: 'Initiatives' }).click();
  await expect(page.locator('#initiative-list > li').first()).toBeVisible();
  release();
  await page.waitForTimeout(1000);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('#initiative-list > li').first()).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Consultations of Member States' })).toHaveCount(0);
  await context.close();
});

test('a coordinator edits an initiative of their region and not of another', async ({ page }, info) => {
  await signIn(page, USERS.coordinatorAfr.email);
  const newTitle = `Supporting digital transformation in Africa (${info.project.name} edit)`;

  await page.goto('/initiatives/wtdc22_afr1');
  await page.locator('#edit-initiative').click();
  const title = page.getByLabel('Title', { exact: true });
  await expect(title).toHaveValue(/Supporting digital transformation/);
  await title.fill(newTitle);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#initiative-title')).toHaveText(newTitle);
  await page.reload();
  await expect(page.locator('#initiative-title')).toHaveText(newTitle);

  // Another region's initiative offers no edit button …
  await page.goto('/initiatives/wtdc22_asp1');
  await expect(page.locator('#initiative-title')).toContainText('Addressing special needs');
  await expect(page.locator('#edit-initiative')).toHaveCount(0);
  // … and its edit address, opened directly, says no at once instead of showing the form (the
  // server's own refusal of a hand-made message is tested in sync.spec.ts).
  await page.goto('/initiatives/wtdc22_asp1/edit');
  await expect(page.getByRole('alert')).toContainText('Your role does not allow this.');
  await expect(page.getByLabel('Title', { exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);
});

test('forms a reader may not use say so when they open', async ({ page, browser }) => {
  await signIn(page, USERS.observer.email);
  const project = (await (await page.request.get('/api/initiatives/wtdc22_asp1')).json()).projects[0].id;
  for (const path of ['/initiatives/new', '/initiatives/wtdc22_afr1/edit', '/initiatives/wtdc22_afr1/projects/new', `/projects/${project}/edit`, `/projects/${project}/reports/new`, `/projects/${project}/replicate`, '/consultations/new']) {
    await page.goto(path);
    await expect(page.getByRole('alert'), path).toContainText('Your role does not allow this.');
    await expect(page.locator('#main form'), path).toHaveCount(0);
  }
  // The same address opens the form for someone who may use it.
  const coordinator = await (await browser.newContext()).newPage();
  await signIn(coordinator, USERS.coordinatorAsp.email);
  await coordinator.goto(`/projects/${project}/edit`);
  await expect(coordinator.getByRole('button', { name: 'Save' })).toBeVisible();
});

test('ids on a page are unique', async ({ page }) => {
  await signIn(page, USERS.coordinatorAfr.email);
  for (const path of ['/', '/sync', '/consultations', '/search?q=broadband', '/initiatives/wtdc22_afr1', '/initiatives/wtdc22_afr1/edit', '/translations']) {
    await page.goto(path);
    await expect(page.locator('#main')).not.toBeEmpty();
    const repeated = await page.evaluate(() => {
      const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
      return ids.filter((id, i) => ids.indexOf(id) !== i);
    });
    expect(repeated, path).toEqual([]);
  }
});

test('the header announces the connection and the waiting count together', async ({ page }) => {
  await signIn(page, USERS.observer.email);
  // One live region holds both, so a screen reader hears "Offline, 1 change waiting" whole.
  const status = page.locator('#sync-status [role="status"]');
  await expect(status).toHaveAttribute('aria-atomic', 'true');
  await expect(status).toContainText('Online');
  await expect(status).toContainText('All changes synced');
  await page.context().setOffline(true);
  await expect(status).toContainText('Offline');
  await expect(status).toContainText('All changes synced');
  await page.context().setOffline(false);
  await expect(status).toContainText('Online');
});

test('a field-level validation message comes from the shared rules', async ({ page }) => {
  await signIn(page, USERS.coordinatorAfr.email);
  await page.goto('/initiatives/new');
  await page.getByLabel('Code').fill('ASP3');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#code-error')).toHaveText('Does not belong to the chosen region');
  await expect(page.locator('#title-error')).toHaveText('Required');
});

test('a delegate cannot open admin pages or call admin APIs', async ({ page }) => {
  await signIn(page, USERS.delegate.email);
  await openMenu(page);
  await expect(page.getByRole('link', { name: 'Initiatives', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await page.goto('/admin/users');
  await expect(page.getByRole('alert')).toContainText('Your role does not allow this.');
  await expect(page.locator('table.users')).toHaveCount(0);
  expect((await page.request.get('/api/admin/users')).status()).toBe(403);
  const invite = await page.request.post('/api/admin/invites', {
    data: { email: 'x@rihub.example', name: 'X', roles: [{ kind: 'admin' }] },
  });
  expect(invite.status()).toBe(403);
});

test('an admin sees users and invites someone with a single-use link', async ({ page, browser }, info) => {
  await signIn(page, USERS.admin.email);
  await openMenu(page);
  await page.getByRole('link', { name: 'Users' }).click();
  await expect(page.locator('table.users')).toContainText(USERS.delegate.email);
  // Roles name the Member State in the reader's language, not its code.
  await expect(page.locator('table.users')).toContainText('Member State delegate · Kenya');
  await page.getByLabel('Email').fill(`invited.${info.project.name}@rihub.example`);
  await page.getByLabel('Name').fill('Invited Person');
  await page.getByRole('button', { name: 'Create invitation link' }).click();
  await expect(page.locator('#roles-error')).toHaveText('Unknown code');
  await page.getByLabel('Member State (ISO code)').last().fill('GH');
  await page.getByRole('button', { name: 'Create invitation link' }).click();
  const link = await page.locator('#invite-link').inputValue();
  expect(link).toContain('/invite/');

  const guest = await browser.newContext();
  const guestPage = await guest.newPage();
  await guestPage.goto(link);
  await guestPage.getByLabel('Password').fill('a long enough password');
  await guestPage.getByRole('button', { name: 'Create my account' }).click();
  await expect(guestPage.getByRole('heading', { name: 'Regional initiatives', exact: true })).toBeVisible();
  await guest.close();
});

test('the chosen interface language is kept on this device across a reload', async ({ page }) => {
  await signIn(page, USERS.observer.email);
  await chooseLanguage(page, 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Initiatives régionales');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Initiatives régionales');
  await chooseLanguage(page, 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Regional initiatives');
});

test('a page whose code cannot be fetched says so; trying again shows a progress bar, then the page', async ({ browser, baseURL }) => {
  // Without the service worker, so the page's chunk comes from the network and can be held back.
  const context = await browser.newContext({ baseURL, serviceWorkers: 'block' });
  const page = await context.newPage();
  let failing = true;
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  await page.route(/\/split_consulting\.wasm$/, async (route) => {
    if (failing) return route.abort('internetdisconnected');
    await held;
    await route.continue();
  });
  await signIn(page, USERS.observer.email);
  const bar = page.getByRole('progressbar', { name: 'Opening the page…' });
  await expect(bar).toHaveCount(0);

  await openMenu(page);
  await page.getByRole('link', { name: 'Consultations' }).click();
  await expect(page.getByRole('alert')).toContainText('This page could not be loaded');
  failing = false;
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(bar).toBeVisible();
  release();
  await expect(page.getByRole('heading', { name: 'Consultations of Member States' })).toBeVisible();
  await expect(bar).toHaveCount(0);
  await context.close();
});
