// Every page fits a 360 px phone without sideways scrolling, in English, Russian and Arabic
// (Russian labels run longest, Arabic runs right to left), with long values on screen: an
// unbroken 80-character word, large amounts, a submission's 64-character receipt.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { PASSWORD, USERS, waitUntilSynced } from './helpers';

const LANGS = ['en', 'ru', 'ar'];
const LONG_WORD = 'Telecommunication'.repeat(5);

/** A signed-in page in `lang`, chosen on this device before the app starts. */
async function phoneIn(browser: Browser, email: string, lang: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  await context.addInitScript((code) => localStorage.setItem('rihub.lang', code), lang);
  const page = await context.newPage();
  const signed = await page.request.post('/api/auth/login', { data: { email, password: PASSWORD } });
  expect(signed.ok()).toBeTruthy();
  await page.request.put('/api/me/lang', { data: { lang } });
  return page;
}

async function push(page: Page, client: string, ops: object[]) {
  const mutations = ops.map((op, i) => ({ client, seq: i + 1, op }));
  const answer = await (await page.request.post('/api/sync/push', { data: { mutations } })).json();
  for (const r of answer.results) expect(r.outcome.applied, JSON.stringify(r)).toBeTruthy();
}

/** What is wrong with the page on a phone: the document wider than the screen (with the first
 * few elements that reach past it), controls smaller than a 44 px touch target, a header taller
 * than 120 px. */
async function problems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + el.className : ''}`;
    const found: string[] = [];
    if (root.scrollWidth > root.clientWidth) {
      found.push(`page is ${root.scrollWidth}px wide on a ${root.clientWidth}px screen`);
      for (const el of Array.from(document.querySelectorAll('body *'))) {
        const box = el.getBoundingClientRect();
        if (box.width > 0 && (box.right > root.clientWidth + 1 || box.left < -1) && found.length < 6) {
          found.push(`${name(el)} ${Math.round(box.left)}..${Math.round(box.right)}`);
        }
      }
    }
    const controls = 'button, .button, select, textarea, input:not([type="checkbox"]):not([type="radio"]):not([type="hidden"]), label.check, .app-header a';
    for (const el of Array.from(document.querySelectorAll(controls))) {
      const box = el.getBoundingClientRect();
      if (box.width > 0 && (box.height < 43.5 || (el.tagName === 'BUTTON' && box.width < 43.5))) {
        found.push(`${name(el)} is ${Math.round(box.width)}x${Math.round(box.height)}px`);
      }
    }
    const header = document.querySelector('.app-header');
    if (header && header.getBoundingClientRect().height > 120) found.push(`the header is ${Math.round(header.getBoundingClientRect().height)}px tall`);
    return found;
  });
}

test('every page fits a 360 px phone in English, Russian and Arabic', async ({ browser }, info) => {
  test.skip(info.project.name !== 'phone', 'a phone layout test');
  test.setTimeout(300_000);
  const stamp = Date.now();
  const admin = await phoneIn(browser, USERS.admin.email, 'en');
  // A project with long values and no indicators.
  const created = await admin.request.post('/api/projects', {
    data: { initiative: 'wtdc22_afr1', fields: {
      title: { en: `Layout ${stamp} ${LONG_WORD}` }, summary: { en: `${LONG_WORD} ${LONG_WORD}` }, status: 'ongoing',
      countries: ['KE', 'GH', 'CD', 'CF'], budget: { amount: 987654321012, currency: 'CHF' },
      partners: [{ name: `Partner ${LONG_WORD}`, kind: 'regional_telecom_organization', role: 'technical' }],
    } },
  });
  expect(created.status()).toBe(201);
  const project = (await created.json()).id;
  const report = `layout_${stamp}`;
  const consultation = `layout_${stamp}`;
  const now = Math.floor(stamp / 1000);
  await push(admin, `layout-admin-${stamp}`, [
    { op: 'create', key: { kind: 'report', id: report }, fields: { project, title: { en: `Report ${LONG_WORD}` },
      lessons: { en: LONG_WORD }, money_used: [{ amount: 123456789, currency: 'USD' }] } },
    { op: 'create', key: { kind: 'consultation', id: consultation }, fields: { region: 'AFR', title: { en: `Consultation ${LONG_WORD}` },
      opens_at: now - 60, closes_at: now + 3600, time_zone: 'Africa/Addis_Ababa', initiatives: ['wtdc22_afr1', 'wtdc17_afr1'] } },
  ]);
  // Kenya's delegate submits, so the consultation shows a receipt.
  const delegate = await phoneIn(browser, USERS.delegate.email, 'en');
  const answers = { consultation, member_state: 'KE', ranking: ['wtdc17_afr1'],
    partners: [{ initiative: 'wtdc17_afr1', organization: `Organization ${LONG_WORD}`, kind: 'regional_telecom_organization', role: LONG_WORD }],
    comments: { wtdc17_afr1: LONG_WORD } };
  const state = `${consultation}_ke`;
  await push(delegate, `layout-delegate-${stamp}`, [
    { op: 'create', key: { kind: 'contribution', id: state }, fields: answers },
    { op: 'submit', key: { kind: 'submission', id: state }, content: answers },
  ]);
  await delegate.context().close();
  await admin.context().close();

  const routes: [string, string[]][] = [
    [USERS.admin.email, ['/', '/initiatives/new', '/initiatives/wtdc22_afr1', '/initiatives/wtdc22_afr1/edit',
      '/initiatives/wtdc22_afr1/projects/new', `/projects/${project}`, `/projects/${project}/edit`,
      `/projects/${project}/reports/new`, `/projects/${project}/replicate`, `/reports/${report}`, `/reports/${report}/edit`,
      `/search?q=${LONG_WORD}`, '/search?q=connectivity', '/duplicates', '/sync', '/translate/initiative/wtdc22_afr1',
      '/translations', '/consultations', '/consultations/new', `/consultations/${consultation}`, '/admin/users', '/no-such-page']],
    [USERS.coordinatorAfr.email, [`/consultations/${consultation}`]],
    [USERS.delegate.email, [`/consultations/${consultation}`, '/consultations']],
  ];
  const wide: string[] = [];  // every problem found, reported together
  for (const lang of LANGS) {
    for (const [email, paths] of routes) {
      const page = await phoneIn(browser, email, lang);
      for (const path of paths) {
        await page.goto(path);
        await expect(page.locator('html')).toHaveAttribute('lang', lang);
        await waitUntilSynced(page);
        await expect(page.locator('main h1').first()).toBeVisible();
        await expect(page.locator('main .loading')).toHaveCount(0);
        for (const problem of await problems(page)) wide.push(`${lang} ${email} ${path}: ${problem}`);
      }
      // The menu, opened, fits too; Escape closes it.
      await page.locator('#menu-toggle').click();
      await expect(page.locator('#region-filter')).toBeVisible();
      for (const problem of await problems(page)) if (!problem.startsWith('the header')) wide.push(`${lang} ${email} menu: ${problem}`);
      await page.keyboard.press('Escape');
      await expect(page.locator('#region-filter')).toBeHidden();
      await expect(page.locator('#menu-toggle')).toBeFocused();
      await page.context().close();
    }
    // Signed out: the login page.
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    await context.addInitScript((code) => localStorage.setItem('rihub.lang', code), lang);
    const page = await context.newPage();
    await page.goto('/login');
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    for (const problem of await problems(page)) wide.push(`${lang} /login: ${problem}`);
    await context.close();
  }
  expect(wide, wide.join('\n')).toEqual([]);
});
