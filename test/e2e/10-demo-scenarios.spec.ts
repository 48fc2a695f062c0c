/**
 * Each one-click scenario of demo mode, run in presenter mode on the sandbox at 1280x720 as a
 * presenter would: Next through the story, open the browser when the app pauses for it, sign in
 * there. Screenshots of what the room sees go to test-results/e2e/screens/.
 */
import type { Page } from '@playwright/test';
import { freshHostPerFile, expect, openTab, snap, test } from './fixtures';
import {
  backUntil,
  nextUntil,
  PRESENTER,
  signInWhenAsked,
  startScenario,
  type SignedIn,
} from './10-demo-helpers';

freshHostPerFile();
test.use({ viewport: PRESENTER });

test('first-party vs third-party: consent only for the third-party agent, side by side', async ({
  app: page,
}, testInfo) => {
  test.setTimeout(120_000);
  const seen: SignedIn = { codes: [] };
  await startScenario(page, 'First-party vs third-party');
  const stage = page.getByRole('dialog', { name: /^Presenting:/ });
  expect(await nextUntil(page)).toBe('browser');
  await expect(stage.getByText('Before the browser opens')).toBeVisible();
  await expect(stage.getByText(/sign in as alice/)).toBeVisible();
  await snap(page, testInfo, '10-first-vs-third-before-browser');
  await signInWhenAsked(page, 'alice', false, seen);
  expect(await nextUntil(page)).toBe('browser');
  await snap(page, testInfo, '10-first-vs-third-diagram');
  await signInWhenAsked(page, 'alice', true, seen);
  expect(await nextUntil(page)).toBe('end');
  const table = stage.getByRole('table');
  await expect(table).toContainText('sandbox-native (first-party)');
  await expect(table).toContainText('sandbox-third-party (third-party)');
  await expect(table.getByRole('row', { name: /Consent screen/ })).toContainText(/no\s*yes/);
  await expect(table.getByRole('row', { name: /Granted/ })).toContainText('whoami:read');
  // Masked by default: alice's subject shows as a prefix and an ellipsis.
  await expect(table.getByRole('row', { name: /^whoami/ })).toContainText(
    /q7k2… · scopes: whoami:read/,
  );
  await snap(page, testInfo, '10-first-vs-third-side-by-side');
  // Back walks the story backwards.
  await page.keyboard.press('ArrowLeft');
  await expect(stage.getByText(/the result/).first()).toBeVisible();
});

test('two people: the server requires whoami:read for the story; bob gets its 403, explained; the user’s settings come back', async ({
  app: page,
}, testInfo) => {
  test.setTimeout(180_000);
  // The user's own settings first (not the defaults), to see them come back exactly.
  await openTab(page, 'Server');
  await page.getByLabel('Verification cache (seconds)').fill('7');
  await page.getByRole('button', { name: 'Apply and restart the server' }).click();
  await expect(page.getByText('Applied', { exact: true })).toBeVisible();

  const seen: SignedIn = { codes: [] };
  await startScenario(page, 'Two people');
  const stage = page.getByRole('dialog', { name: /^Presenting:/ });
  // The presenter is told first what the story changed, and that it comes back.
  await expect(
    stage.getByRole('heading', { name: 'Before we start: the sandbox for this story' }),
  ).toBeVisible();
  await expect(stage.getByRole('region', { name: 'The sandbox for this story' })).toContainText(
    /now requires whoami:read on every request \(your settings: no required scope\)/,
  );
  await snap(page, testInfo, '10-two-people-setup');
  expect(await nextUntil(page)).toBe('browser');
  await signInWhenAsked(page, 'alice', false, seen);
  expect(await nextUntil(page)).toBe('browser');
  await expect(stage.getByText(/sign in as bob/)).toBeVisible();
  await signInWhenAsked(page, 'bob', false, seen);
  // bob signs in once: no second browser sign-in for a scope he was already refused.
  expect(await nextUntil(page, { timeoutMs: 90_000 })).toBe('end');
  expect(seen.codes).toHaveLength(2);

  const granted = stage.getByRole('row', { name: /Granted/ });
  await expect(granted).toContainText(/whoami:read\s*none/);
  await expect(stage.getByRole('row', { name: /Signed in as/ })).toContainText(/alice\s*bob/);
  await expect(stage.getByRole('row', { name: /^Ended/ })).toContainText(
    /done\s*✗ No role of bob’s grants whoami:read/,
  );
  await snap(page, testInfo, '10-two-people-side-by-side');

  // bob's result: the server's own 403, and what it means and how to fix it in Logto.
  await backUntil(page, /bob \(role: Viewer\): what went wrong/);
  await expect(stage).toContainText(
    /bob’s access token at the MCP server:\s*403, the server refuses it: insufficient_scope, The token lacks a required scope; this server requires: whoami:read\./,
  );
  await expect(stage.getByText(/Console › Roles/)).toBeVisible();
  await snap(page, testInfo, '10-two-people-bob-403-explained');
  // And in bob's diagram, where it happened: the server's 403.
  await backUntil(page, '403: the token lacks a permission');
  await snap(page, testInfo, '10-two-people-bob-403-arrow');

  // After the story, the server runs with the user's settings again, exactly.
  await page.keyboard.press('Escape');
  await openTab(page, 'Server');
  await expect(page.getByText('verdicts cached 7 s')).toBeVisible();
  await expect(page.getByText('none (any valid token)')).toBeVisible();
});

test("a token's life: a real expiry judged by the server, refresh, sign out, each with the server's verdict", async ({
  app: page,
}, testInfo) => {
  // The sandbox's tokens live 20 s for this story, and the server allows no clock leeway.
  test.setTimeout(180_000);
  const seen: SignedIn = { codes: [] };
  await startScenario(page, "A token's life");
  const stage = page.getByRole('dialog', { name: /^Presenting:/ });
  const setup = stage.getByRole('region', { name: 'The sandbox for this story' });
  await expect(setup).toContainText(/access tokens that live 20 s \(normally 3600 s\)/);
  await expect(setup).toContainText(/allows no clock leeway past a token's expiry \(normally 30 s/);
  expect(await nextUntil(page)).toBe('browser');
  await signInWhenAsked(page, 'alice', false, seen);
  expect(await nextUntil(page, { heading: /Waiting for the access token to expire/ })).toBe(
    'heading',
  );
  // The countdown is visible and ticks down.
  const timer = stage.getByRole('timer');
  // About 20 s: the token's life, no leeway, a second's margin; not the minute and a half it was.
  await expect(timer).toContainText(/0:[12]\d until the server must refuse the token/);
  await expect(stage.getByText(/The server allows no leeway/)).toBeVisible();
  const first = await timer.textContent();
  await page.waitForTimeout(1_500);
  expect(await timer.textContent()).not.toBe(first);
  await snap(page, testInfo, '10-token-life-countdown');

  expect(await nextUntil(page, { timeoutMs: 90_000 })).toBe('end');
  await expect(stage.getByRole('heading', { name: /the result/ })).toBeVisible();
  // The server's verdicts: the expired token refused, the revoked one still accepted until exp.
  await expect(stage).toContainText(
    /The access token, once expired:\s*401, the server rejects it: invalid_token, The token has expired\./,
  );
  await expect(stage).toContainText(/Revoking the refresh token at the issuer: 200/);
  await expect(stage).toContainText(/The old access token, after sign-out:\s*200/);
  await snap(page, testInfo, '10-token-life-result');
  // The wait is in the picture too, as a band between the first call and the expired token.
  await expect(stage.locator('.seq-wait')).toContainText(/Waiting for the access token to expire/);
  const order = await stage
    .locator('[data-arrow] title, .seq-wait text')
    .evaluateAll((nodes) => nodes.map((n) => n.textContent ?? ''));
  const band = order.findIndex((t) => t.startsWith('Waiting for the access token'));
  expect(order.slice(0, band)).toContain('200: here is who you are');
  expect(order.slice(band)).toContain('401: rejected (invalid_token)');

  // Back to where the server refused the expired token: its decision, drawn on its lane.
  await backUntil(page, /rejected \(The token has expired\.\)/);
  await snap(page, testInfo, '10-token-life-expired-verdict');
  // Then the refresh that follows it.
  expect(await nextUntil(page, { heading: /refresh token for a new access token/ })).toBe(
    'heading',
  );
  await expect(stage.getByText('RFC 6749 §6')).toBeVisible();
  await snap(page, testInfo, '10-token-life-refresh');
});

test('what goes wrong: each mistake ends in its cause and its fix', async ({
  app: page,
}, testInfo) => {
  test.setTimeout(120_000);
  const seen: SignedIn = { codes: [] };
  await startScenario(page, 'What goes wrong');
  const stage = page.getByRole('dialog', { name: /^Presenting:/ });
  // Three mistakes are caught before any browser opens; the fourth needs bob to sign in.
  expect(await nextUntil(page)).toBe('browser');
  await expect(stage.getByText(/sign in as bob/)).toBeVisible();
  await signInWhenAsked(page, 'bob', false, seen);
  expect(await nextUntil(page)).toBe('end');
  const ended = stage.getByRole('row', { name: /Ended/ });
  await expect(ended).toContainText('sandbox-natve');
  await expect(ended).toContainText(/redirect/i);
  await expect(ended).toContainText(/resource|invalid_target/i);
  await expect(ended).toContainText(/whoami:read/);
  await snap(page, testInfo, '10-what-goes-wrong-side-by-side');
  // Walk back to the first failure: the diagram shows it with the cause and the fix.
  for (let i = 0; i < 80; i++) {
    if (await stage.getByRole('heading', { name: /400: invalid_client/ }).isVisible()) break;
    await page.keyboard.press('ArrowLeft');
  }
  await expect(stage.getByText('What went wrong').first()).toBeVisible();
  await expect(stage.getByText(/Fix:/).first()).toBeVisible();
  await snap(page, testInfo, '10-what-goes-wrong-wrong-client');
});

test('what goes wrong on a tenant: the mistakes are built from the user’s profile and answered by its issuer', async ({
  app: page,
}, testInfo) => {
  test.setTimeout(120_000);
  // A profile of the user's whose issuer is the sandbox's, by its URL: a tenant as far as the
  // app can tell, which the bundled server already trusts.
  const issuer = (await page.locator('dt:text-is("Issuer") + dd').first().innerText()).trim();
  await createProfile(page, 'My tenant', issuer, 'sandbox-native');

  await openTab(page, 'Demo');
  const card = page.getByRole('listitem').filter({ hasText: 'What goes wrong' });
  const playOn = card.getByRole('combobox', { name: /Play on/ });
  await expect(playOn).toHaveValue('');
  await playOn.selectOption({ label: `My tenant (${new URL(issuer).host})` });
  await expect(card).toContainText('Played with the client of “My tenant”');
  await expect(card).not.toContainText('alice');
  await snap(page, testInfo, '10-what-goes-wrong-tenant-choice');
  await card.getByRole('button', { name: 'Run “What goes wrong”' }).click();
  const stage = page.getByRole('dialog', { name: 'Presenting: What goes wrong, on “My tenant”' });
  await expect(stage).toBeVisible();

  expect(await nextUntil(page)).toBe('browser');
  await expect(stage.getByText(/sign in as a user without whoami:read/)).toBeVisible();
  await signInWhenAsked(page, 'bob', false, { codes: [] });
  expect(await nextUntil(page)).toBe('end');
  const ended = stage.getByRole('row', { name: /Ended/ });
  // The profile's client ID, one character short; its client with a path it never registered.
  await expect(ended).toContainText('sandbox-ntive');
  await expect(ended).toContainText('/auth/callback');
  await expect(ended).toContainText(/invalid_target|resource indicator/i);
  await expect(ended).toContainText(/whoami:read/);
  await snap(page, testInfo, '10-what-goes-wrong-tenant-side-by-side');
  await page.getByRole('button', { name: 'Exit presenter' }).click();

  // The run's own profiles are folded away under their own heading, apart from the user's.
  const sidebar = page.getByRole('navigation', { name: 'Profiles' });
  await expect(sidebar.getByText(/^Made by demo runs \(\d+\)$/)).toBeVisible();
  await expect(sidebar.getByRole('button', { name: /Demo: wrong client ID/ })).toBeHidden();
  await expect(sidebar.getByRole('button', { name: /My tenant/ })).toBeVisible();

  // A tenant the bundled server does not trust: the card offers the trust, and Run says why not.
  await createProfile(page, 'Other tenant', OTHER_ISSUER, 'abc123');
  await openTab(page, 'Demo');
  await card
    .getByRole('combobox', { name: /Play on/ })
    .selectOption({ label: `Other tenant (${new URL(OTHER_ISSUER).host})` });
  await expect(
    card.getByRole('button', { name: 'Make the bundled server trust this issuer' }),
  ).toBeVisible();
  await card.getByRole('button', { name: 'Run “What goes wrong”' }).click();
  const refused = page.getByRole('alert').filter({ hasText: 'Could not do that' });
  await expect(refused).toContainText(`not ${OTHER_ISSUER}`);
  await expect(refused).toContainText(/Make the bundled server trust the issuer of “Other tenant”/);
  await snap(page, testInfo, '10-what-goes-wrong-tenant-untrusted');
  // One click on the offer: the server trusts that tenant, and the stale refusal goes away.
  await card.getByRole('button', { name: 'Make the bundled server trust this issuer' }).click();
  await expect(refused).toHaveCount(0, { timeout: 15_000 });
  await expect(card.getByRole('button', { name: /trust this issuer/ })).toHaveCount(0);
});

const OTHER_ISSUER = 'https://other-tenant.example.invalid/oidc';

/** A profile of the user's, made in the sidebar as a person would, left on screen. */
async function createProfile(page: Page, name: string, issuer: string, clientId: string) {
  await page.getByRole('button', { name: /New profile/ }).click();
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await page.getByRole('textbox', { name: 'Issuer', exact: true }).fill(issuer);
  await page.getByRole('textbox', { name: 'Client ID', exact: true }).fill(clientId);
  await page.getByRole('button', { name: 'Create profile' }).click();
  await expect(page.getByRole('button', { name: 'Save profile' })).toBeVisible();
}
