import {
  ALICE,
  ALICE_SUB,
  expect,
  freshHostPerFile,
  newTabFrom,
  openTab,
  signInOnIssuerPage,
  snap,
  test,
} from './fixtures';

freshHostPerFile();

test('Connect opens the sandbox sign-in page; after signing in the app shows whoami', async ({
  app: page,
}, testInfo) => {
  const signInTab = await newTabFrom(page, () =>
    page.getByRole('button', { name: 'Connect', exact: true }).click(),
  );

  // While the person signs in, the app says what it waits for and offers the page as a link.
  await expect(page.getByText('Waiting for you to sign in in the browser')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Open the sign-in page' })).toBeVisible();
  await snap(page, testInfo, '02-waiting-for-sign-in');
  await snap(signInTab, testInfo, '02-sandbox-sign-in-page');

  await signInOnIssuerPage(signInTab, ALICE);

  await page.bringToFront();
  await expect(page.getByText('Signed in and connected')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('heading', { name: 'Signed in', exact: true })).toBeVisible();
  await expect(page.getByText(ALICE.name).first()).toBeVisible();
  const whoami = page.getByRole('region', { name: /whoami/ });
  await expect(whoami.getByRole('table', { name: 'What the server answered' })).toBeVisible();
  await expect(whoami).toContainText(ALICE_SUB);
  await expect(whoami.getByRole('row', { name: /authenticated/ })).toContainText('true');
  await expect(page.getByText(/expires in/).first()).toBeVisible();
  await snap(page, testInfo, '02-signed-in');

  // Each step opens onto its HTTP exchanges, tokens shown only as fingerprints.
  const tokenStep = page.getByRole('listitem').filter({
    has: page.getByRole('heading', { name: 'Exchange the code for tokens' }),
  });
  await expect(tokenStep).toContainText('Done');
  await tokenStep.getByText(/HTTP exchange/).click();
  await tokenStep.locator('summary').filter({ hasText: 'POST' }).first().click();
  await expect(tokenStep.getByText(/sha256:/).first()).toBeVisible();
  await tokenStep.scrollIntoViewIfNeeded();
  await snap(page, testInfo, '02-step-exchanges');

  await openTab(page, 'Tools');
  await expect(page.getByRole('button', { name: /whoami/ }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Run whoami' }).click();
  await expect(page.getByRole('table', { name: 'Claims' }).last()).toBeVisible();
  await snap(page, testInfo, '02-tools');

  await openTab(page, 'Server');
  await expect(page.getByRole('table').filter({ hasText: 'allowed' })).toBeVisible();
  await snap(page, testInfo, '02-server-decisions');

  await openTab(page, 'Trace');
  await expect(page.getByText(/\d+ events/)).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: /Export trace/ }).click();
  expect((await download).suggestedFilename()).toMatch(/^mcp-auth-desktop-trace-.*\.json$/);
  await snap(page, testInfo, '02-trace');
});
