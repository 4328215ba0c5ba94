// axe-core on every page, in English and Arabic, at this project's screen size (desktop and
// phone): no violations of the WCAG rules it checks.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { backToEnglish, openRoute, pageIn, seedRoutes } from './every_route';

test('every page passes axe-core in English and Arabic', async ({ browser }, info) => {
  test.setTimeout(400_000);
  const routes = await seedRoutes(browser, `axe_${info.project.name}_${Date.now()}`);
  const phone = info.project.name === 'phone';
  const found: string[] = [];
  const check = async (page: import('@playwright/test').Page, where: string) => {
    const { violations } = await new AxeBuilder({ page }).analyze();
    for (const v of violations) {
      const nodes = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ');
      found.push(`${where}: ${v.id} (${v.impact}) ${v.help}: ${nodes}`);
    }
  };
  // The pages set each account's language; the other tests expect English.
  try {
    for (const lang of ['en', 'ar']) {
      for (const [email, paths] of routes) {
        const page = await pageIn(browser, lang, email, phone);
        for (const path of paths) {
          await openRoute(page, path, lang);
          await check(page, `${lang} ${email} ${path}`);
        }
        await page.context().close();
      }
      const page = await pageIn(browser, lang, undefined, phone);
      await openRoute(page, '/login', lang);
      await check(page, `${lang} /login`);
      await page.context().close();
    }
  } finally {
    await backToEnglish(browser, routes.map(([email]) => email));
  }
  expect(found, found.join('\n')).toEqual([]);
});
