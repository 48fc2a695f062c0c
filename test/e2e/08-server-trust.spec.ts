import { createServer } from 'node:net';
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

/** A loopback port nobody listens on: an issuer that is down. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

test('the Server tab edits what the bundled server trusts, and a profile offers to trust its issuer in one click', async ({
  app: page,
}, testInfo) => {
  const sidebarTrust = page.getByTestId('sidebar-trust');
  await expect(sidebarTrust).toHaveText('trusts the sandbox');
  await openTab(page, 'Server');
  await expect(page.getByText('is the bundled MCP server.')).toBeVisible();
  await expect(page.getByTestId('trusted-issuer')).toContainText(
    /http:\/\/127\.0\.0\.1:\d+\/oidc \(the sandbox\)/,
  );

  // A mistake is named inline, Apply does not apply it, and nothing typed is lost.
  await page.getByText('Another issuer', { exact: true }).click();
  const issuerField = page.getByLabel('Issuer URL');
  await issuerField.fill('tenant.logto.app');
  await expect(page.getByText(/The issuer is "sandbox" or an http\(s\) URL/)).toBeVisible();
  await page.getByLabel('Verification cache (seconds)').fill('-1');
  await expect(page.getByText('The cache window cannot be negative')).toBeVisible();
  await page.getByRole('button', { name: 'Apply and restart the server' }).click();
  await expect(page.getByText('The settings were not applied')).toBeVisible();
  await expect(sidebarTrust).toHaveText('trusts the sandbox');
  await openTab(page, 'Trace');
  await openTab(page, 'Server');
  await expect(page.getByLabel('Issuer URL')).toHaveValue('tenant.logto.app');
  await expect(page.getByLabel('Verification cache (seconds)')).toHaveValue('-1');

  // An issuer that is down: applied, and the tab says plainly why tokens cannot be verified.
  const down = `http://127.0.0.1:${await deadPort()}/oidc`;
  await page.getByLabel('Issuer URL').fill(down);
  await page.getByLabel('Verification cache (seconds)').fill('5');
  await page.getByRole('button', { name: 'Apply and restart the server' }).click();
  await expect(page.getByText('Applied', { exact: true })).toBeVisible();
  await expect(sidebarTrust).toHaveText(`trusts ${down.replace('http://', '')}`);
  await expect(page.getByTestId('trusted-issuer')).toContainText(down);
  await expect(page.getByText(/Cannot reach its issuer/)).toBeVisible();
  await expect(page.getByText(/answer 503 with this reason and Retry-After/)).toBeVisible();
  await snap(page, testInfo, '08-server-trusts-a-down-issuer');

  // The sandbox profile now points at a server that does not trust its issuer: the offer.
  await openTab(page, 'Connection');
  const offer = page.locator('.trust-offer');
  await expect(offer).toContainText('The bundled server does not trust this profile’s issuer');
  await expect(offer).toContainText(`trusts ${down}`);
  await expect(offer).toContainText('Tokens from');
  await snap(page, testInfo, '08-trust-offer');
  await offer.getByRole('button', { name: 'Make the bundled server trust the sandbox' }).click();
  await expect(offer).toHaveCount(0);
  await expect(sidebarTrust).toHaveText('trusts the sandbox');

  // And the sandbox sign-in works through the restarted server.
  const tab = await newTabFrom(page, () =>
    page.getByRole('button', { name: 'Connect', exact: true }).click(),
  );
  await signInOnIssuerPage(tab, ALICE);
  await page.bringToFront();
  await expect(page.getByText('Signed in and connected')).toBeVisible({ timeout: 30_000 });
});

test('for a server that is not the bundled one, the Server tab shows what its answers revealed', async ({
  app: page,
}, testInfo) => {
  // Another MCP server on loopback (the same code, its own process-independent instance) that
  // trusts the sandbox issuer the first-party profile shows.
  const issuer = (await page.locator('dt:text-is("Issuer") + dd').first().innerText()).trim();
  const { startMcpServer } = await import('../../main/server');
  const elsewhere = await startMcpServer({ port: 0, issuer });
  try {
    await page.getByRole('button', { name: /New profile/ }).click();
    await page.getByRole('textbox', { name: 'Server URL', exact: true }).fill(elsewhere.url);
    await page.getByRole('textbox', { name: 'Issuer', exact: true }).fill(issuer);
    await page.getByRole('textbox', { name: 'Client ID', exact: true }).fill('sandbox-native');
    await page.getByRole('button', { name: 'Create profile' }).click();
    await expect(page.getByRole('button', { name: 'Save profile' })).toBeVisible();

    await openTab(page, 'Server');
    await expect(page.getByText('is not the bundled server.')).toBeVisible();
    await expect(page.getByText(/Nothing yet: this server has not answered/)).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Verification decisions' })).toHaveCount(0);

    // The sandbox does not know this server's resource, so the flow stops before any sign-in;
    // the server has answered by then (its metadata, its challenge).
    await openTab(page, 'Connection');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(page.getByText(/^Failed at/)).toBeVisible({ timeout: 30_000 });

    await openTab(page, 'Server');
    const revealed = page.getByRole('region', { name: 'What this server’s answers revealed' });
    await expect(revealed).toContainText(elsewhere.resource);
    await expect(revealed).toContainText(`Trusts${issuer}`);
    await expect(revealed).toContainText(`resource_metadata="${elsewhere.resourceMetadataUrl}"`);
    await snap(page, testInfo, '08-another-server');
  } finally {
    await elsewhere.close();
  }
});
