import type { Page } from '@playwright/test';
import {
  ALICE,
  ALICE_SUB,
  expect,
  freshHostPerFile,
  newTabFrom,
  openTab,
  profileButton,
  signInOnIssuerPage,
  snap,
  test,
} from './fixtures';

freshHostPerFile();
test.describe.configure({ mode: 'serial' });

/** The redirect URI of the sign-in under way, read from the app's "Open the sign-in page" link. */
async function redirectUriOf(page: Page): Promise<string> {
  const link = page.getByRole('link', { name: 'Open the sign-in page' });
  await expect(link).toBeVisible({ timeout: 30_000 });
  const href = (await link.getAttribute('href'))!;
  return new URL(href).searchParams.get('redirect_uri')!;
}

test('a bare callback (Logto’s consent Cancel, or any page) asks: Try again, then the sign-in completes', async ({
  app: page,
}, testInfo) => {
  await profileButton(page, /Sandbox \(third-party agent\)/).click();
  const tab = await newTabFrom(page, () =>
    page.getByRole('button', { name: 'Connect', exact: true }).click(),
  );
  const redirectUri = await redirectUriOf(page);
  // What Logto's Cancel does: the browser lands on the redirect URI with no parameters at all.
  await tab.goto(redirectUri);
  await expect(
    tab.getByRole('heading', { name: 'It looks like you pressed Cancel on the consent page' }),
  ).toBeVisible();

  await page.bringToFront();
  const question = page
    .getByRole('alert')
    .filter({ hasText: 'It looks like you pressed Cancel on the consent page' });
  await expect(question).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/Failed at/)).toHaveCount(0);
  await snap(page, testInfo, '08-cancel-question');

  const again = await newTabFrom(page, () =>
    question.getByRole('button', { name: 'Try again' }).click(),
  );
  await signInOnIssuerPage(again, ALICE, 'allow');
  await expect(again.getByRole('heading', { name: /Signed in/ })).toBeVisible({ timeout: 30_000 });
  await page.bringToFront();
  await expect(page.getByText('Signed in and connected')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('region', { name: /whoami/ })).toContainText(ALICE_SUB);
});

test('Stop after a bare callback ends the sign-in as cancelled on the consent page, with no "Signed in"', async ({
  app: page,
}, testInfo) => {
  await profileButton(page, /Sandbox \(third-party agent\)/).click();
  // Signed in from the test before: sign out first, so nothing from that run stays on screen.
  await page.getByRole('button', { name: 'Sign out' }).click();
  const tab = await newTabFrom(page, () =>
    page.getByRole('button', { name: 'Connect', exact: true }).click(),
  );
  const redirectUri = await redirectUriOf(page);
  await tab.goto(redirectUri);
  await page.bringToFront();
  const question = page
    .getByRole('alert')
    .filter({ hasText: 'It looks like you pressed Cancel on the consent page' });
  await question.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByText(/cancelled on the consent screen/).first()).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByRole('heading', { name: 'Signed in', exact: true })).toHaveCount(0);
  await expect(page.locator('.main__subtitle')).toHaveText('sign-in cancelled');
  await snap(page, testInfo, '08-cancel-stopped');
});

test('unsaved profile edits survive switching tabs', async ({ app: page }) => {
  await profileButton(page, /Sandbox \(first-party\)/).click();
  await openTab(page, 'Profile settings');
  const name = page.getByLabel('Name', { exact: true });
  await name.fill('My edited sandbox');
  await page.getByLabel('Fixed redirect port (optional)').fill('53123');
  await openTab(page, 'Trace');
  await openTab(page, 'Connection');
  await openTab(page, 'Profile settings');
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('My edited sandbox');
  await expect(page.getByLabel('Fixed redirect port (optional)')).toHaveValue('53123');
  await expect(page.getByText('Unsaved changes.')).toBeVisible();
});
