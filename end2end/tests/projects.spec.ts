// A coordinator creates and edits a project with partners and indicators, in the browser.
import { expect, test } from '@playwright/test';
import { signIn, USERS } from './helpers';

test('a coordinator creates a project with a partner and an indicator, then edits it', async ({ page }, info) => {
  await signIn(page, USERS.coordinatorAsp.email);
  await page.goto('/initiatives/wtdc22_asp1');
  await page.getByRole('link', { name: 'New project' }).click();

  const title = `Pacific school connectivity (${info.project.name})`;
  await page.getByLabel('Title', { exact: true }).fill(title);
  // Typed key by key, as a person would: separators and focus must survive each keystroke.
  await page.getByLabel('Countries').pressSequentially('FJ, XX');
  await page.getByRole('button', { name: 'Add partner' }).click();
  await page.locator('#partner-0-name').pressSequentially('Asian Development Bank');
  await page.locator('#partner-0-kind').selectOption('financial_institution');
  await page.getByRole('button', { name: 'Add indicator' }).click();
  await page.locator('#indicator-0-name').fill('Schools connected');
  await page.locator('#indicator-0-target').fill('40');
  await page.locator('#indicator-0-actual').fill('10');
  // Nothing pushes the page wider than the screen (a phone would zoom out).
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);
  await page.getByRole('button', { name: 'Save' }).click();
  // The shared validation names the unknown country before anything is sent.
  await expect(page.locator('#countries-error')).toHaveText('Unknown code');

  await page.getByLabel('Countries').fill('');
  await page.getByLabel('Countries').pressSequentially('FJ, TO');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByRole('cell', { name: 'Asian Development Bank' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Financial institution' })).toBeVisible();
  await expect(page.locator('progress')).toHaveAttribute('value', '0.25');
  await expect(page.getByText('Fiji, Tonga')).toBeVisible();

  await page.locator('#edit-project').click();
  await page.locator('#indicator-0-actual').fill('30');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('progress')).toHaveAttribute('value', '0.75');

  // Another region's coordinator sees it but is offered no edit.
  const url = page.url();
  await signIn(page, USERS.coordinatorAfr.email);
  await page.goto(url);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.locator('#edit-project')).toHaveCount(0);
});
