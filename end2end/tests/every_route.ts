// Every page of the app, with data that strains it, for the tests that look at all of them
// (the phone layout, accessibility): a project, a report and a consultation with long values,
// and a Member State's submission, so the consultation shows its receipt.
import { expect, type Browser, type Page } from '@playwright/test';
import { PASSWORD, USERS, waitUntilSynced } from './helpers';

export const LONG_WORD = 'Telecommunication'.repeat(5);

/** A page of a new browser context of `size`, signed in as `email` (when given), in `lang`,
 * chosen on this device before the app starts. */
export async function pageIn(browser: Browser, lang: string, email?: string, phone = true): Promise<Page> {
  const context = await browser.newContext(phone ? { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true } : {});
  await context.addInitScript((code) => localStorage.setItem('rihub.lang', code), lang);
  const page = await context.newPage();
  if (email) {
    const signed = await page.request.post('/api/auth/login', { data: { email, password: PASSWORD } });
    expect(signed.ok()).toBeTruthy();
    await page.request.put('/api/me/lang', { data: { lang } });
  }
  return page;
}

/** Sets the accounts' interface language back to English, which the other tests expect. */
export async function backToEnglish(browser: Browser, emails: string[]) {
  for (const email of emails) {
    const page = await pageIn(browser, 'en', email);
    await page.context().close();
  }
}

async function push(page: Page, client: string, ops: object[]) {
  const mutations = ops.map((op, i) => ({ client, seq: i + 1, op }));
  const answer = await (await page.request.post('/api/sync/push', { data: { mutations } })).json();
  for (const r of answer.results) expect(r.outcome.applied, JSON.stringify(r)).toBeTruthy();
}

/** Seeds the records and returns each account's paths: everything for the admin, the
 * consultation as its coordinator and as a delegate who submitted. */
export async function seedRoutes(browser: Browser, tag: string): Promise<[string, string[]][]> {
  const admin = await pageIn(browser, 'en', USERS.admin.email);
  const created = await admin.request.post('/api/projects', {
    data: { initiative: 'wtdc22_afr1', fields: {
      title: { en: `Layout ${tag} ${LONG_WORD}` }, summary: { en: `${LONG_WORD} ${LONG_WORD}` }, status: 'ongoing',
      countries: ['KE', 'GH', 'CD', 'CF'], budget: { amount: 987654321012, currency: 'CHF' },
      partners: [{ name: `Partner ${LONG_WORD}`, kind: 'regional_telecom_organization', role: 'technical' }],
    } },
  });
  expect(created.status()).toBe(201);
  const project = (await created.json()).id;
  const [report, consultation] = [`report_${tag}`, `consultation_${tag}`];
  const now = Math.floor(Date.now() / 1000);
  await push(admin, `routes-admin-${tag}`, [
    { op: 'create', key: { kind: 'report', id: report }, fields: { project, title: { en: `Report ${LONG_WORD}` },
      lessons: { en: LONG_WORD }, money_used: [{ amount: 123456789, currency: 'USD' }] } },
    { op: 'create', key: { kind: 'consultation', id: consultation }, fields: { region: 'AFR', title: { en: `Consultation ${LONG_WORD}` },
      opens_at: now - 60, closes_at: now + 3600, time_zone: 'Africa/Addis_Ababa', initiatives: ['wtdc22_afr1', 'wtdc17_afr1'] } },
  ]);
  const delegate = await pageIn(browser, 'en', USERS.delegate.email);
  const answers = { consultation, member_state: 'KE', ranking: ['wtdc17_afr1'],
    partners: [{ initiative: 'wtdc17_afr1', organization: `Organization ${LONG_WORD}`, kind: 'regional_telecom_organization', role: LONG_WORD }],
    comments: { wtdc17_afr1: LONG_WORD } };
  const state = `${consultation}_ke`;
  await push(delegate, `routes-delegate-${tag}`, [
    { op: 'create', key: { kind: 'contribution', id: state }, fields: answers },
    { op: 'submit', key: { kind: 'submission', id: state }, content: answers },
  ]);
  await delegate.context().close();
  await admin.context().close();
  return [
    [USERS.admin.email, ['/', '/initiatives/new', '/initiatives/wtdc22_afr1', '/initiatives/wtdc22_afr1/edit',
      '/initiatives/wtdc22_afr1/projects/new', `/projects/${project}`, `/projects/${project}/edit`,
      `/projects/${project}/reports/new`, `/projects/${project}/replicate`, `/reports/${report}`, `/reports/${report}/edit`,
      `/search?q=${LONG_WORD}`, '/search?q=connectivity', '/duplicates', '/sync', '/translate/initiative/wtdc22_afr1',
      '/translations', '/consultations', '/consultations/new', `/consultations/${consultation}`, '/admin/users', '/no-such-page']],
    [USERS.coordinatorAfr.email, [`/consultations/${consultation}`]],
    [USERS.delegate.email, [`/consultations/${consultation}`, '/consultations']],
  ];
}

/** Opens `path` and waits until it is shown in `lang`, synced, with nothing still loading. */
export async function openRoute(page: Page, path: string, lang: string) {
  await page.goto(path);
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
  if (path !== '/login') await waitUntilSynced(page);
  await expect(page.locator('main h1').first()).toBeVisible();
  await expect(page.locator('main .loading')).toHaveCount(0);
}
