// The interface in the six languages, right-to-left Arabic, and translating content: a
// translation made by one person is read by another, and goes out of date when its original
// changes.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { chooseLanguage, openMenu, signIn, USERS, waitUntilSynced } from './helpers';

const LANGS = ['en', 'ar', 'zh', 'fr', 'ru', 'es'] as const;
type Strings = Record<string, Record<string, string>>;
const strings = Object.fromEntries(LANGS.map((l) => [l, JSON.parse(readFileSync(`../locales/${l}.json`, 'utf8')) as Strings]));

/** Texts of the chrome (header, list page), as `section.key`. */
const CHROME = ['nav.initiatives', 'nav.translations', 'nav.sign_out', 'nav.language', 'nav.region_filter',
  'nav.all_regions', 'initiatives.title', 'initiatives.search', 'sync.online', 'sync.all_synced'];
const s = (lang: string, key: string) => { const [section, name] = key.split('.'); return strings[lang][section][name]; };
/** Whether `text` holds `phrase` as whole words ("Region" is not in "Regionales"). */
const hasWords = (text: string, phrase: string) =>
  new RegExp(`(^|[^\\p{L}])${phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u').test(text);
const RAW_KEY = /\b(app|nav|login|common|initiatives|initiative|project|admin|sync|translate|translations|plural_\w+|regions|statuses|errors)\.[a-z_]+\b/;

test('every interface language shows its own words, no raw key and no English left in the chrome', async ({ page }, info) => {
  await signIn(page, USERS.partner.email);
  await waitUntilSynced(page);
  try {
    for (const lang of LANGS) {
      await chooseLanguage(page, lang);
      await expect(page.locator('html')).toHaveAttribute('dir', lang === 'ar' ? 'rtl' : 'ltr');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(s(lang, 'initiatives.title'));
      await expect(page.locator('#sync-status .connection')).toHaveText(s(lang, 'sync.online'));
      await openMenu(page);
      const chrome = await page.locator('header.app-header').innerText() + '\n' + await page.locator('main').innerText();
      expect(chrome, `${lang}: a translation key shown as text`).not.toMatch(RAW_KEY);
      for (const key of CHROME) {
        expect(chrome, `${lang}: ${key}`).toContain(s(lang, key));
        if (lang !== 'en' && s(lang, key) !== s('en', key)) {
          expect(hasWords(chrome, s('en', key)), `${lang}: English "${s('en', key)}" left in the chrome`).toBe(false);
        }
      }
      if (lang === 'ar' || lang === 'zh') {
        const path = info.outputPath(`initiatives-${lang}.png`);
        await page.screenshot({ path });
        await info.attach(`initiatives-${lang}`, { path, contentType: 'image/png' });
      }
    }
  } finally {
    await chooseLanguage(page, 'en');
  }
});

test('in Arabic the document is right-to-left and the navigation starts on the right', async ({ page }) => {
  await signIn(page, USERS.partner.email);
  const width = page.viewportSize()!.width;
  const brand = page.locator('header .brand');
  const englishBox = (await brand.boundingBox())!;
  expect(englishBox.x).toBeLessThan(width / 2);
  try {
    await chooseLanguage(page, 'ar');
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    const arabicBox = (await brand.boundingBox())!;
    expect(arabicBox.x + arabicBox.width).toBeGreaterThan(width / 2);
    expect(width - (arabicBox.x + arabicBox.width)).toBeCloseTo(englishBox.x, -1);
    // A code in Latin letters inside Arabic text keeps its own direction.
    await expect(page.locator('#initiative-list .code').first()).toHaveAttribute('dir', 'ltr');
    // Names the app composes are Arabic too, and a period sits beside its label, at the right.
    await page.goto('/initiatives/wtdc22_afr1');
    const facts = page.locator('.facts');
    await expect(facts).toContainText(s('ar', 'action_plans.wtdc22'));
    await expect(facts).toContainText(s('ar', 'offices.afr'));
    await expect(facts).not.toContainText('Kigali Action Plan');
    const period = facts.locator('dd bdi', { hasText: '2023–2025' });
    const label = facts.locator('dt').filter({ hasText: s('ar', 'initiative.period') });
    const [periodBox, labelBox] = [(await period.boundingBox())!, (await label.boundingBox())!];
    expect(periodBox.x + periodBox.width).toBeGreaterThan(width / 2);
    if (page.viewportSize()!.width > 640) expect(periodBox.x + periodBox.width).toBeLessThan(labelBox.x);
  } finally {
    await chooseLanguage(page, 'en');
  }
});

test('a translation into French is read in French, and marked outdated when the English original changes', async ({ browser }, info) => {
  const id = 'wtdc22_eur3';
  const french = `Compétences numériques et inclusion (${info.project.name})`;
  const translator = await (await browser.newContext()).newPage();
  const reader = await (await browser.newContext()).newPage();
  await signIn(translator, USERS.admin.email);
  await signIn(reader, USERS.partner.email);
  try {
    await translator.goto(`/translate/initiative/${id}?to=fr`);
    const title = translator.locator('.translate-field[data-field="title"]');
    await expect(translator.locator('#translate-to')).toHaveValue('fr');
    await expect(title.locator('.source-text')).toContainText('Digital skills and inclusion');
    await title.locator('textarea').fill(french);
    await title.getByRole('button', { name: 'Save translation' }).click();
    await expect(title.locator('.translation-status')).toHaveAttribute('data-status', 'current');
    await expect(title.getByRole('status')).toHaveText('Translation saved');
    await waitUntilSynced(translator);

    await chooseLanguage(reader, 'fr');
    await reader.goto(`/initiatives/${id}`);
    await expect(reader.locator('#initiative-title')).toContainText(french);
    await expect(reader.locator('#initiative-title .outdated')).toHaveCount(0);

    // Search finds the initiative by its French words.
    await reader.goto('/');
    await reader.locator('#search').fill('Compétences numériques');
    await expect(reader.locator('#initiative-list > li')).toHaveCount(1);
    await expect(reader.locator('#initiative-list')).toContainText('EUR3');
    await reader.goto(`/initiatives/${id}`);

    // The original changes: the reader still sees the French text, now marked outdated.
    await translator.goto(`/initiatives/${id}/edit`);
    await translator.getByLabel('Title', { exact: true }).fill(`Digital skills and inclusion for all (${info.project.name})`);
    await translator.getByRole('button', { name: 'Save' }).click();
    await expect(translator).toHaveURL(new RegExp(`/initiatives/${id}$`));
    await expect(reader.locator('#initiative-title')).toContainText(french);
    await expect(reader.locator('#initiative-title .outdated')).toHaveText(s('fr', 'common.outdated'));

    // It is on the French work list, and the translation page says why.
    await reader.goto('/translations?lang=fr');
    await expect(reader.locator(`#translation-work li[data-id="${id}"]`)).toBeVisible();
    await translator.goto(`/translate/initiative/${id}?to=fr`);
    await expect(title.locator('.translation-status')).toHaveAttribute('data-status', 'outdated');
  } finally {
    await chooseLanguage(reader, 'en');
  }
});

test('a first visit speaks the browser\'s language', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'ru-RU' });
  const page = await context.newPage();
  await page.goto('/login');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  await expect(page.getByRole('heading', { name: s('ru', 'login.title') })).toBeVisible();
  await context.close();
});
