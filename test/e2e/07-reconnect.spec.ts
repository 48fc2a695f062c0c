import { currentHost, expect, freshHostPerFile, snap, test } from './fixtures';

freshHostPerFile();
test.describe.configure({ mode: 'serial' });

test('a page opened with a wrong access token says which URL to open', async ({
  page,
}, testInfo) => {
  const url = new URL(currentHost().url);
  url.searchParams.set('token', 'not-the-token');
  await page.goto(url.href);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('no longer valid');
  await expect(alert).toContainText('npm run web');
  await snap(page, testInfo, '07-wrong-token');
});

test('when the web host stops, the page says so instead of failing silently', async ({
  app: page,
}, testInfo) => {
  await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeEnabled();
  await currentHost().stop();

  await expect(page.getByText('Reconnecting…')).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'does not answer' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('npm run web');
  await snap(page, testInfo, '07-reconnecting');
});
