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

const steps = (page: Page) => page.getByRole('list').filter({ has: page.locator('[data-step]') });
/** Steps done by Continue; the app's own whoami call after sign-in runs "tool-call" by itself. */
const doneCount = (page: Page) =>
  steps(page).locator('[data-status="done"]:not([data-step="tool-call"])').count();
const pausedStep = (page: Page) => steps(page).locator('[data-status="paused"]');

test('Step through runs exactly one step per Continue', async ({ app: page }, testInfo) => {
  await page.getByRole('button', { name: 'Step through' }).click();

  const continueButton = page.getByRole('button', { name: 'Continue' });
  await expect(continueButton).toBeEnabled();
  await expect(page.getByText('Next: waiting for Continue')).toHaveCount(1);
  await expect(page.getByText('What will be sent').first()).toBeVisible();
  expect(await doneCount(page)).toBe(0);
  await snap(page, testInfo, '05-guided-first-pause');

  for (let click = 1; click <= 12; click++) {
    const before = await doneCount(page);
    const stepId = await pausedStep(page).getAttribute('data-step');
    const title = await pausedStep(page).getByRole('heading').innerText();
    if (stepId === 'sign-in') {
      const tab = await newTabFrom(page, () => continueButton.click());
      await expect(page.getByRole('link', { name: 'Open the sign-in page' })).toBeVisible();
      await snap(page, testInfo, '05-guided-sign-in');
      await signInOnIssuerPage(tab, ALICE);
      await page.bringToFront();
    } else {
      await continueButton.click();
    }
    // The step that was paused is done, and exactly one more step is done than before.
    const stepItem = steps(page).locator(`[data-step="${stepId}"]`);
    await expect(stepItem).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
    await expect(stepItem).toContainText('Done');
    await expect
      .poll(async () => {
        const signedIn = await page.getByText('Signed in and connected').isVisible();
        const paused = await pausedStep(page).count();
        return signedIn || paused === 1;
      })
      .toBe(true);
    expect(await doneCount(page), `after Continue on "${title}"`).toBe(before + 1);
    if (await page.getByText('Signed in and connected').isVisible()) break;
    await expect(continueButton).toBeEnabled();
  }

  await expect(page.getByText('Signed in and connected')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Continue' })).toHaveCount(0);
  await snap(page, testInfo, '05-guided-done');
});
