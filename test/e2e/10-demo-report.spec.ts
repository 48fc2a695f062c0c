/**
 * The demo report: exported after a scenario, opened in Chromium with the network off (every
 * step there, no secret of the run in the file), printed to PDF, and reopened in the app for a
 * read-only replay.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentHost, expect, freshHostPerFile, resultsDir, test } from './fixtures';
import {
  nextUntil,
  PRESENTER,
  signInWhenAsked,
  startScenario,
  storedSecrets,
  type SignedIn,
} from './10-demo-helpers';

freshHostPerFile();
test.use({ viewport: PRESENTER });

test('the exported report opens offline, holds every step and no secret, prints, and replays in the app', async ({
  app: page,
  browser,
}, testInfo) => {
  test.setTimeout(150_000);
  const seen: SignedIn = { codes: [] };
  await startScenario(page, 'First-party vs third-party');
  expect(await nextUntil(page)).toBe('browser');
  await signInWhenAsked(page, 'alice', false, seen);
  expect(await nextUntil(page)).toBe('browser');
  await signInWhenAsked(page, 'alice', true, seen);
  expect(await nextUntil(page)).toBe('end');

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export report' }).click();
  const file = join(resultsDir, 'screens', '10-demo-report.html');
  await (await downloading).saveAs(file);
  const html = readFileSync(file, 'utf8');

  // No secret of the run: the codes the browser carried, both sessions' tokens, the client secret.
  const secrets = [
    ...seen.codes,
    ...(await storedSecrets(currentHost().dataDir, [
      'demo-first-vs-third-party-1',
      'demo-first-vs-third-party-2',
      'sandbox-third-party',
    ])),
  ];
  expect(seen.codes.length).toBe(2);
  expect(secrets.length).toBeGreaterThanOrEqual(6);
  for (const secret of secrets)
    expect(html.includes(secret), 'a secret is in the report').toBe(false);
  // Masked as on screen: alice's email never appears whole.
  expect(html).not.toMatch(/alice@[a-z0-9.-]+\.[a-z]{2,}/i);

  // Offline: nothing may be fetched to show it.
  const context = await browser.newContext({
    offline: true,
    viewport: { width: 1280, height: 900 },
  });
  const requests: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url === `file://${file}`) return route.continue();
    requests.push(url);
    return route.abort();
  });
  const report = await context.newPage();
  await report.goto(`file://${file}`);
  await expect(report.getByRole('heading', { level: 1 })).toHaveText('First-party vs third-party');
  const data = JSON.parse(
    (await report.locator('#mcp-auth-demo-report').textContent()) ?? '{}',
  ) as {
    run: {
      parts: { title: string; diagram: { arrows: { label: string }[] } }[];
      appVersion: string;
    };
  };
  expect(data.run.parts).toHaveLength(2);
  for (const [i, part] of data.run.parts.entries()) {
    // Each part calls whoami once, as its scenario says: the app's own whoami after a sign-in
    // (the connection screen's) is not part of a demo.
    const calls = part.diagram.arrows.filter((arrow) => arrow.label === 'calls whoami');
    expect(calls, `${part.title}: whoami calls`).toHaveLength(1);
    const section = report.locator('section.part').nth(i);
    await expect(section.getByRole('heading', { level: 2 })).toContainText(part.title);
    // One list item per arrow of the diagram, and the diagram itself.
    await expect(section.locator('ol.steps > li')).toHaveCount(part.diagram.arrows.length);
    await expect(section.locator('svg [data-arrow]')).toHaveCount(part.diagram.arrows.length);
  }
  await expect(report.locator('body')).toContainText('code for tokens');
  await expect(report.locator('body')).toContainText('signs in, then consents');
  await expect(report.locator('body')).toContainText(`MCP Auth Desktop v${data.run.appVersion}`);
  expect(requests).toEqual([]);

  // Print to PDF; with pdftoppm, the first page as a PNG to look at.
  const pdf = join(resultsDir, 'screens', '10-demo-report.pdf');
  writeFileSync(pdf, await report.pdf({ format: 'A4', printBackground: true }));
  expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
  if (existsSync('/usr/bin/pdftoppm')) {
    execFileSync('/usr/bin/pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '2',
      pdf,
      join(resultsDir, 'screens', '10-demo-report-page'),
    ]);
  } else {
    console.warn('pdftoppm is not installed: the PDF was written but not rendered to PNG.');
  }
  await testInfo.attach('report', { path: file, contentType: 'text/html' });
  await context.close();

  // Reopen it in the app: a read-only replay, step by step.
  await page.getByRole('button', { name: 'Exit presenter' }).click();
  await page.getByLabel('Open a report to replay it').setInputFiles(file);
  const stage = page.getByRole('dialog', { name: 'Presenting: First-party vs third-party' });
  await expect(stage).toContainText('Replay of a report (read-only)');
  await expect(stage.getByRole('button', { name: 'Export report' })).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await expect(
    stage.getByRole('heading', { name: 'asks the MCP server, without a token' }),
  ).toBeVisible();

  // A file that is not a report says so.
  await page.getByRole('button', { name: 'Exit presenter' }).click();
  const bogus = join(resultsDir, 'screens', '10-not-a-report.html');
  writeFileSync(bogus, '<html><body>hello</body></html>');
  await page.getByLabel('Open a report to replay it').setInputFiles(bogus);
  await expect(page.getByRole('alert')).toContainText('This file is not a demo report');
});
