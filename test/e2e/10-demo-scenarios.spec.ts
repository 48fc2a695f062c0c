/**
 * Each one-click scenario of demo mode, run in presenter mode on the sandbox at 1280x720 as a
 * presenter would: Next through the story, open the browser when the app pauses for it, sign in
 * there. Screenshots of what the room sees go to test-results/e2e/screens/.
 */
import { freshHostPerFile, expect, snap, test } from './fixtures';
import {
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

test('two people: alice and bob in separate sessions, bob’s token has no whoami:read', async ({
  app: page,
}, testInfo) => {
  test.setTimeout(120_000);
  const seen: SignedIn = { codes: [] };
  await startScenario(page, 'Two people');
  const stage = page.getByRole('dialog', { name: /^Presenting:/ });
  expect(await nextUntil(page)).toBe('browser');
  await signInWhenAsked(page, 'alice', false, seen);
  expect(await nextUntil(page)).toBe('browser');
  await expect(stage.getByText(/sign in as bob/)).toBeVisible();
  await signInWhenAsked(page, 'bob', false, seen);
  expect(await nextUntil(page)).toBe('end');
  const granted = stage.getByRole('row', { name: /Granted/ });
  await expect(granted).toContainText(/whoami:read\s*none/);
  await expect(stage.getByRole('row', { name: /Signed in as/ })).toContainText(/alice\s*bob/);
  await snap(page, testInfo, '10-two-people-side-by-side');
});

test("a token's life: refresh, sign out, and the server's verdict on the old token", async ({
  app: page,
}, testInfo) => {
  test.setTimeout(120_000);
  const seen: SignedIn = { codes: [] };
  await startScenario(page, "A token's life");
  const stage = page.getByRole('dialog', { name: /^Presenting:/ });
  expect(await nextUntil(page)).toBe('browser');
  await signInWhenAsked(page, 'alice', false, seen);
  expect(await nextUntil(page)).toBe('end');
  // The last beat is the part's result, with the server's verdicts as proof.
  await expect(stage.getByRole('heading', { name: /the result/ })).toBeVisible();
  await expect(stage).toContainText('The old access token, after refresh');
  await expect(stage).toContainText('The old access token, after sign-out');
  await expect(stage).toContainText(/Revoking the refresh token at the issuer: 200/);
  await snap(page, testInfo, '10-token-life-result');
  // Go back to the refresh and show its arrow.
  for (let i = 0; i < 30; i++) {
    if (
      await stage.getByRole('heading', { name: 'refresh token for a new access token' }).isVisible()
    )
      break;
    await page.keyboard.press('ArrowLeft');
  }
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
