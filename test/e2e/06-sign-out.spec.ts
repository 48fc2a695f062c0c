import type { Page } from '@playwright/test';
import {
  ALICE,
  expect,
  freshHostPerFile,
  newTabFrom,
  signInOnIssuerPage,
  snap,
  test,
} from './fixtures';

freshHostPerFile();

async function connectAndSignIn(page: Page): Promise<void> {
  const tab = await newTabFrom(page, () =>
    page.getByRole('button', { name: 'Connect', exact: true }).click(),
  );
  await signInOnIssuerPage(tab, ALICE);
  await page.bringToFront();
  await expect(page.getByText('Signed in and connected')).toBeVisible({ timeout: 30_000 });
}

test('after Sign out, Connect asks for the password again', async ({ app: page }, testInfo) => {
  await connectAndSignIn(page);

  const signOutTab = page
    .context()
    .waitForEvent('page', { timeout: 10_000 })
    .catch(() => undefined);
  await page.getByRole('button', { name: 'Sign out' }).click();

  const report = page.getByRole('region', { name: 'Signed out' });
  await expect(report).toBeVisible({ timeout: 30_000 });
  await expect(report).toContainText('Revocation');
  await expect(report).toContainText(/MCP server (now refuses|still accepts) the old access token/);
  await expect(page.getByRole('heading', { name: 'Signed in', exact: true })).toHaveCount(0);
  await snap(page, testInfo, '06-signed-out');

  // End the issuer's browser session on its sign-out page (the app opened it; else use the link).
  let tab = await signOutTab;
  if (!tab) {
    tab = await newTabFrom(page, () =>
      report.getByRole('link', { name: 'Open the sign-out page' }).click(),
    );
  }
  await tab.waitForLoadState('domcontentloaded');
  const confirm = tab.getByRole('button', { name: 'Sign out' });
  if (await confirm.isVisible()) await confirm.click();
  await expect(tab.getByRole('heading', { name: /signed out/i })).toBeVisible();
  await tab.close();

  const signInAgain = await newTabFrom(page, () =>
    page.getByRole('button', { name: 'Connect', exact: true }).click(),
  );
  await expect(signInAgain.getByLabel('Password')).toBeVisible();
  await expect(page.getByText('Waiting for you to sign in in the browser')).toBeVisible();
  await snap(page, testInfo, '06-sign-in-needed-again');
});
