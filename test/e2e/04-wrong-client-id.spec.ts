import { expect, freshHostPerFile, openTab, snap, test } from './fixtures';

freshHostPerFile();

test('a wrong client ID fails before any browser opens, with the fix', async ({
  app: page,
}, testInfo) => {
  await openTab(page, 'Profile settings');
  const clientId = page.getByRole('textbox', { name: 'Client ID', exact: true });
  await clientId.fill('no-such-app');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();

  await openTab(page, 'Connection');
  await expect(page.getByText('no-such-app').first()).toBeVisible();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();

  const failure = page.getByRole('alert').filter({ hasText: 'How to fix it' });
  await expect(failure).toBeVisible({ timeout: 30_000 });
  await expect(failure).toContainText('no-such-app');
  const step = page.getByRole('listitem').filter({ hasText: 'Failed' }).first();
  await expect(step).toBeVisible();
  // The app found the mistake itself: no sign-in tab was opened.
  expect(page.context().pages()).toHaveLength(1);
  await snap(page, testInfo, '04-wrong-client-id');
});
