// Every page fits a 360 px phone without sideways scrolling, in English, Russian and Arabic
// (Russian labels run longest, Arabic runs right to left), with long values on screen: an
// unbroken 80-character word, large amounts, a submission's 64-character receipt.
import { expect, test, type Page } from '@playwright/test';
import { backToEnglish, openRoute, pageIn, seedRoutes } from './every_route';

const LANGS = ['en', 'ru', 'ar'];

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
  const routes = await seedRoutes(browser, `layout_${info.project.name}_${Date.now()}`);
  const wide: string[] = [];  // every problem found, reported together
  // The pages set each account's language; the other tests expect English.
  try {
    for (const lang of LANGS) {
      for (const [email, paths] of routes) {
        const page = await pageIn(browser, lang, email);
        for (const path of paths) {
          await openRoute(page, path, lang);
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
      const page = await pageIn(browser, lang);
      await openRoute(page, '/login', lang);
      for (const problem of await problems(page)) wide.push(`${lang} /login: ${problem}`);
      await page.context().close();
    }
  } finally {
    await backToEnglish(browser, routes.map(([email]) => email));
  }
  expect(wide, wide.join('\n')).toEqual([]);
});
