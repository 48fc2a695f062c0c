import {
  ALICE,
  ALICE_SUB,
  expect,
  freshHostPerFile,
  newTabFrom,
  signInOnIssuerPage,
  snap,
  test,
} from './fixtures';

freshHostPerFile();

test('a page reloaded while the sign-in page is open picks the flow up and sees it finish', async ({
  app: page,
}, testInfo) => {
  const signInTab = await newTabFrom(page, () =>
    page.getByRole('button', { name: 'Connect', exact: true }).click(),
  );
  await expect(page.getByText('Waiting for you to sign in in the browser')).toBeVisible();

  // The flow runs in main; the reloaded page asks for it (flow.get) instead of offering Connect.
  await page.reload();
  await expect(page.getByText('Waiting for you to sign in in the browser')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Open the sign-in page' })).toBeVisible();
  await snap(page, testInfo, '11-reloaded-while-signing-in');

  await signInOnIssuerPage(signInTab, ALICE);
  await page.bringToFront();
  await expect(page.getByText('Signed in and connected')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('region', { name: /whoami/ })).toContainText(ALICE_SUB);
});
