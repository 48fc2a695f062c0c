import { startFakeLogto } from '../support/fake-logto-management';
import {
  ALICE,
  expect,
  freshHostPerFile,
  newTabFrom,
  openTab,
  signInOnIssuerPage,
  snap,
  test,
} from './fixtures';

freshHostPerFile();

test('Check on a healthy profile: every check passes, the three columns agree', async ({
  app: page,
}, testInfo) => {
  await openTab(page, 'Doctor');
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.getByText('Every check passed')).toBeVisible({ timeout: 30_000 });
  const checks = page.getByRole('list', { name: 'Checks' });
  await expect(checks.getByRole('listitem', { name: 'Client ID known: pass' })).toBeVisible();
  await expect(checks.getByRole('listitem', { name: /: fail$/ })).toHaveCount(0);
  const columns = page.getByRole('table').filter({ hasText: 'Server advertises' });
  await expect(columns.getByRole('row', { name: /Resource \(token audience\)/ })).toBeVisible();
  await expect(columns.getByText('mismatch', { exact: true })).toHaveCount(0);
  await snap(page, testInfo, '08-doctor-pass');
});

test('a failed sign-in points at the check that explains it, mismatch highlighted', async ({
  app: page,
}, testInfo) => {
  await openTab(page, 'Profile settings');
  await page.getByRole('textbox', { name: 'Client ID', exact: true }).fill('no-such-app');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();
  await openTab(page, 'Connection');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();

  const found = page.getByRole('region', { name: 'What the doctor found' });
  const pointed = found.getByRole('listitem', { name: 'Client ID known: fail' });
  await expect(pointed).toBeVisible({ timeout: 30_000 });
  await expect(pointed).toContainText('Copy the App ID from Logto Console');
  await found.getByRole('button', { name: 'Show every check' }).click();
  await expect(found.getByRole('row', { name: /Client registration.*mismatch/ })).toBeVisible();
  await snap(page, testInfo, '08-failure-doctor');
});

test('would the server accept this session’s token? Yes, and why it is a JWT', async ({
  app: page,
}, testInfo) => {
  await openTab(page, 'Profile settings');
  await page.getByRole('textbox', { name: 'Client ID', exact: true }).fill('sandbox-native');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await openTab(page, 'Connection');
  const signInTab = await newTabFrom(page, () =>
    page.getByRole('button', { name: 'Connect', exact: true }).click(),
  );
  await signInOnIssuerPage(signInTab, ALICE);
  await page.bringToFront();
  await expect(page.getByText('Signed in and connected')).toBeVisible({ timeout: 30_000 });

  const panel = page.getByRole('region', { name: 'Would the server accept this token?' });
  await panel.getByRole('button', { name: 'Check this session’s token' }).click();
  await expect(panel.getByText('The server accepts it')).toBeVisible();
  await expect(panel).toContainText(
    'A JWT access token (RFC 9068) because the sign-in sent the resource indicator',
  );
  await expect(panel.getByRole('list', { name: 'Reasons' })).toContainText('Audience (aud)');
  await panel.scrollIntoViewIfNeeded();
  await snap(page, testInfo, '08-token-verdict');

  await panel.getByRole('textbox').fill('x'.repeat(43));
  await panel.getByRole('button', { name: 'Check the pasted token' }).click();
  await expect(panel.getByText('The server refuses it')).toBeVisible();
});

test('Set up a Logto tenant: everything created, then already there; a profile saved', async ({
  app: page,
}, testInfo) => {
  const logto = await startFakeLogto();
  try {
    logto.db.users.push({ id: logto.newId(), username: 'alice' });
    await openTab(page, 'Doctor');
    const panel = page.getByRole('region', { name: 'Set up a Logto tenant' });
    await panel.getByRole('textbox', { name: 'Logto endpoint' }).fill(logto.endpoint);
    await panel.getByRole('textbox', { name: 'Machine-to-machine App ID' }).fill(logto.m2m.appId);
    await panel.getByLabel('App secret').fill(logto.m2m.appSecret);
    await panel.getByRole('textbox', { name: 'User who gets the role' }).fill('alice');
    await panel.getByRole('button', { name: 'Set up this tenant' }).click();
    const items = panel.getByRole('list', { name: 'Setup items' });
    await expect(items.getByText('Created', { exact: true })).toHaveCount(5);
    await expect(
      panel.getByText(`Profile “Logto ${new URL(logto.endpoint).host}” saved`),
    ).toBeVisible();
    // The setup ends by pointing the bundled server at the tenant; the sidebar says so too.
    await expect(panel.getByText('The bundled server now trusts this tenant')).toBeVisible();
    await expect(page.getByText(`trusts ${new URL(logto.endpoint).host}/oidc`)).toBeVisible();
    await expect(
      page.getByRole('button', { name: new RegExp(`Logto ${new URL(logto.endpoint).host}`) }),
    ).toBeVisible();
    await snap(page, testInfo, '08-tenant-setup');

    // The secret is kept: a second run needs only the endpoint and the user, and creates nothing.
    await panel.getByRole('textbox', { name: 'Machine-to-machine App ID' }).fill('');
    await panel.getByLabel('App secret').fill('');
    await panel.getByRole('button', { name: 'Set up this tenant' }).click();
    // Six now: an existing role is also checked for the permission it grants.
    await expect(items.getByText('Already there', { exact: true })).toHaveCount(6);
    await expect(items.getByText('Created', { exact: true })).toHaveCount(0);
  } finally {
    await logto.close();
  }
});
