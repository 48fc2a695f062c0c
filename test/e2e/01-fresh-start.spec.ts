import { expect, freshHostPerFile, openTab, profileButton, snap, test } from './fixtures';

freshHostPerFile();

test('a fresh start shows the sandbox profile preselected, ready to connect', async ({
  app: page,
}, testInfo) => {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sandbox (first-party)');
  await expect(profileButton(page, /Sandbox \(first-party\)/)).toHaveAttribute(
    'aria-current',
    'true',
  );
  await expect(profileButton(page, /Sandbox \(third-party agent\)/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Step through' })).toBeEnabled();
  await expect(page.getByRole('heading', { name: 'Not signed in' })).toBeVisible();
  await expect(page.getByText('alice-sandbox').first()).toBeVisible();
  // The access token left the address bar once read.
  expect(new URL(page.url()).searchParams.has('token')).toBe(false);
  await snap(page, testInfo, '01-connection-fresh');

  await openTab(page, 'Profile settings');
  await expect(page.getByRole('textbox', { name: 'Client ID', exact: true })).toHaveValue(
    'sandbox-native',
  );
  await expect(page.getByText(/Register exactly this/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy URI' })).toBeVisible();
  await snap(page, testInfo, '01-profile-settings');

  await openTab(page, 'Server');
  await expect(page.getByRole('heading', { name: 'Bundled MCP server' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Running' })).toBeVisible();
  await snap(page, testInfo, '01-server');

  // The same screens in the dark theme (prefers-color-scheme).
  await page.emulateMedia({ colorScheme: 'dark' });
  await openTab(page, 'Connection');
  await snap(page, testInfo, '01-connection-dark');
});

test('the profile form explains mistakes as you type and loses nothing on a failed save', async ({
  app: page,
}, testInfo) => {
  // A person reads the sandbox's issuer off the first-party profile, to type it in the new one.
  const issuer = (await page.locator('dt:text-is("Issuer") + dd').first().innerText()).trim();
  expect(issuer).toMatch(/^http:\/\/.+\/oidc$/);

  await page.getByRole('button', { name: /New profile/ }).click();
  await expect(page.getByRole('tab', { name: 'Profile settings' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(page.getByRole('textbox', { name: 'Name', exact: true })).toHaveValue(
    'Logto tenant',
  );

  const serverUrl = page.getByRole('textbox', { name: 'Server URL', exact: true });
  await serverUrl.fill('localhost:3001/mcp');
  await expect(page.getByText(/add "http:\/\/" in front/)).toBeVisible();

  // The issuer's scopes_supported are offered as chips to add.
  await page.getByRole('textbox', { name: 'Issuer', exact: true }).fill(issuer);
  const addOffline = page.getByRole('button', { name: 'Add scope offline_access' });
  await expect(addOffline).toBeVisible();
  await addOffline.click();
  await expect(page.getByRole('list', { name: 'Requested scopes' })).toContainText(
    'offline_access',
  );

  // Typing + Enter adds a scope; × removes one.
  const scopeInput = page.getByPlaceholder(/Add a scope/);
  await scopeInput.fill('whoami:read');
  await scopeInput.press('Enter');
  await expect(page.getByRole('list', { name: 'Requested scopes' })).toContainText('whoami:read');
  await page.getByRole('button', { name: 'Remove scope email' }).click();
  await expect(page.getByRole('list', { name: 'Requested scopes' })).not.toContainText('email');

  await page.getByRole('textbox', { name: 'Client ID', exact: true }).fill('my-logto-app');
  await page.getByRole('button', { name: 'Create profile' }).click();
  await expect(page.getByText('Not saved', { exact: true })).toBeVisible();
  await expect(serverUrl).toHaveValue('localhost:3001/mcp');
  await expect(page.getByRole('textbox', { name: 'Client ID', exact: true })).toHaveValue(
    'my-logto-app',
  );
  await snap(page, testInfo, '01-profile-form-errors');

  await serverUrl.fill('http://localhost:3001/mcp');
  await expect(page.getByText(/add "http:\/\/" in front/)).toHaveCount(0);
  await page.getByRole('button', { name: 'Create profile' }).click();
  await expect(profileButton(page, /Logto tenant/)).toHaveAttribute('aria-current', 'true');
  await expect(page.getByRole('button', { name: 'Save profile' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Client ID', exact: true })).toHaveValue(
    'my-logto-app',
  );
});
