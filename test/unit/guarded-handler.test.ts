// The wrapper every listener runs its handler in (main/shared/listen.ts): a handler that throws or
// rejects costs one 500, logged without the query string, and the server answers the next request.
import { afterEach, describe, expect, it } from 'vitest';
import { requestTargetProblem } from '../../main/shared/guarded-handler';
import { listen, type Listening } from '../../main/shared/listen';

let running: Listening | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('a failing handler', () => {
  it('gets a 500 with a JSON body, a log line without the query, and the server keeps serving', async () => {
    const logged: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      running = await listen(
        async (req, res) => {
          if (req.url?.startsWith('/sync')) throw new Error('sync failure');
          if (req.url?.startsWith('/async')) {
            await Promise.resolve();
            throw new Error('async failure');
          }
          res.end('fine');
        },
        { host: '127.0.0.1', port: 0, label: 'test listener', howToChange: '' },
      );
      const base = `http://127.0.0.1:${running.port}`;
      for (const path of ['/sync?code=secret-code', '/async?code=secret-code']) {
        const response = await fetch(`${base}${path}`);
        expect(response.status).toBe(500);
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(await response.json()).toMatchObject({ error: 'server_error' });
      }
      expect(await (await fetch(`${base}/ok`)).text()).toBe('fine');
      expect(logged.map((args) => args[0])).toEqual([
        'The test listener failed on GET /sync:',
        'The test listener failed on GET /async:',
      ]);
      expect(JSON.stringify(logged)).not.toContain('secret-code');
    } finally {
      console.error = original;
    }
  });
});

describe('requestTargetProblem', () => {
  it('accepts origin-form targets with well-formed escapes in the path; the query is left to the handler', () => {
    for (const target of [
      '/',
      '/callback?code=a%2Fb&state=x',
      '/%E2%9C%93',
      '/a/b.js?x=1#f',
      '/?x=%ZZ',
    ]) {
      expect(requestTargetProblem(target), target).toBeUndefined();
    }
  });

  it('refuses every other form and every broken escape', () => {
    for (const target of [
      '',
      '*',
      '//',
      '//evil.example/x',
      'http://evil.example/',
      'http://[/x',
      '/%',
      '/%E0%A4%A',
      '/%E0%A4',
      '/%E0%A4?x=1',
      '/\u00ff',
      '/a b',
    ]) {
      expect(requestTargetProblem(target), target).toMatch(/request target/);
    }
  });
});
