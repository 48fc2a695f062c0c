import {
  ALICE,
  ALICE_SUB,
  expect,
  freshHostPerFile,
  newTabFrom,
  profileButton,
  signInOnIssuerPage,
  snap,
  test,
} from './fixtures';

freshHostPerFile();
test.describe.configure({ mode: 'serial' });

test('the third-party profile: Deny on the consent page shows a clear cancelled message', async ({
  app: page,
}, testInfo) => {
  await profileButton(page, /Sandbox \(third-party agent\)/).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sandbox (third-party agent)');

  const tab = await newTabFrom(page, () =>
    page.getByRole('button', { name: 'Connect', exact: true }).click(),
  );
  await signInOnIssuerPage(tab, ALICE, 'deny');

  await page.bringToFront();
  // Like Logto's Cancel, Deny returns with no parameters. Any page could send that, so the app
  // asks first; Stop reports a sign-in cancelled on the consent page, with what to do.
  const question = page
    .getByRole('alert')
    .filter({ hasText: 'It looks like you pressed Cancel on the consent page' });
  await expect(question).toBeVisible({ timeout: 30_000 });
  await question.getByRole('button', { name: 'Stop' }).click();
  const cancelled = page.locator('.flow-status');
  await expect(cancelled).toContainText('cancelled on the consent screen', { timeout: 30_000 });
  await expect(cancelled).toContainText('choose Authorize on the consent screen');
  await expect(page.getByRole('heading', { name: 'Signed in', exact: true })).toHaveCount(0);
  await snap(page, testInfo, '03-consent-denied');
});

test('the third-party profile: Allow on the consent page shows the claims', async ({
  app: page,
}, testInfo) => {
  await profileButton(page, /Sandbox \(third-party agent\)/).click();
  const tab = await newTabFrom(page, () =>
    page.getByRole('button', { name: 'Connect', exact: true }).click(),
  );
  await signInOnIssuerPage(tab, ALICE, 'allow');

  await page.bringToFront();
  await expect(page.getByText('Signed in and connected')).toBeVisible({ timeout: 30_000 });
  const whoami = page.getByRole('region', { name: /whoami/ });
  await expect(whoami).toContainText(ALICE_SUB);
  await expect(whoami).toContainText('sandbox-third-party');
  await snap(page, testInfo, '03-consent-allowed');
});
