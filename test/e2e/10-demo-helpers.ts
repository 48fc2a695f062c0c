/**
 * Demo mode as a presenter drives it: pick a scenario, press Next through the story, open the
 * browser when the app pauses for it and sign in there as the scenario says.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { SessionStore } from '../../main/client/engine/session-store';
import { FileSecretStore, secretKeys } from '../../main/profiles/secret-store';
import { expect, newTabFrom, openTab, signInOnIssuerPage } from './fixtures';

export const PRESENTER = { width: 1280, height: 720 };
const PASSWORDS: Record<string, string> = { alice: 'alice-sandbox', bob: 'bob-sandbox' };

export async function startScenario(page: Page, title: string): Promise<void> {
  await openTab(page, 'Demo');
  await expect(page.getByLabel(/Presenter mode/)).toBeChecked();
  await page.getByRole('button', { name: `Run “${title}”` }).click();
  await expect(page.getByRole('dialog', { name: `Presenting: ${title}` })).toBeVisible();
}

const presenter = (page: Page) => page.getByRole('dialog', { name: /^Presenting:/ });
const counter = (page: Page) => presenter(page).getByText(/ · step \d+ of \d+/);

/**
 * Presses Next (the → key) until the story pauses before the browser, has been told to its end,
 * or (with `heading`) shows a beat with that title. Waits as long as the story needs (a token
 * expiring takes a minute and a half), up to `timeoutMs`.
 */
export async function nextUntil(
  page: Page,
  options: { heading?: RegExp; timeoutMs?: number } = {},
): Promise<'browser' | 'end' | 'heading'> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (await presenter(page).getByRole('button', { name: 'Next: open the browser →' }).isVisible())
      return 'browser';
    if (
      options.heading &&
      (await presenter(page).getByRole('heading', { level: 3, name: options.heading }).isVisible())
    )
      return 'heading';
    const text = (await counter(page).textContent()) ?? '';
    const [, at, of] = / step (\d+) of (\d+)/.exec(text) ?? [];
    const finished = /^(Finished|Stopped)/.test(text);
    if (finished && at === of) return 'end';
    if (at !== of) await page.keyboard.press('ArrowRight');
    else await page.waitForTimeout(150);
  }
  throw new Error('The story did not reach a pause, its end or the beat asked for in time');
}

/** Presses Back until the beat titled `heading` is on screen. */
export async function backUntil(page: Page, heading: RegExp | string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (await presenter(page).getByRole('heading', { name: heading }).first().isVisible()) return;
    await page.keyboard.press('ArrowLeft');
  }
  throw new Error(`No beat titled ${String(heading)} before this one`);
}

export interface SignedIn {
  /** The codes the issuer sent back through the browser (secrets the report must not hold). */
  codes: string[];
}

/** Clicks "Next: open the browser", signs in on the page that opens, returns to the app. */
export async function signInWhenAsked(
  page: Page,
  username: string,
  consent: boolean,
  seen: SignedIn,
): Promise<void> {
  const tab = await newTabFrom(page, () =>
    presenter(page).getByRole('button', { name: 'Next: open the browser →' }).click(),
  );
  tab.on('request', (request) => {
    const code = new URL(request.url()).searchParams.get('code');
    if (code) seen.codes.push(code);
  });
  await signInOnIssuerPage(
    tab,
    { username, password: PASSWORDS[username]! },
    consent ? 'allow' : undefined,
  );
  await tab.waitForURL(/\/callback/, { timeout: 15_000 }).catch(() => undefined);
  await tab.close();
  await page.bringToFront();
}

/** Every token and client secret the web host holds for these demo profiles, read from its store. */
export async function storedSecrets(dataDir: string, profileIds: string[]): Promise<string[]> {
  const store = await FileSecretStore.open(join(dataDir, 'secrets'));
  const sessions = new SessionStore(store);
  const out: string[] = [];
  for (const id of profileIds) {
    const session = await sessions.load(id);
    if (session) {
      const { access_token, refresh_token, id_token } = session.tokens;
      for (const token of [access_token, refresh_token, id_token]) if (token) out.push(token);
    }
    const secret = await store.get(secretKeys.clientSecret(id));
    if (secret) out.push(secret);
  }
  return out;
}
