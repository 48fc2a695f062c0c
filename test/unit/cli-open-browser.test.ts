import { describe, expect, it } from 'vitest';
import { browserCommands, openInBrowser } from '../../main/cli/open-browser';

const URL_ = 'http://127.0.0.1:3002/oidc/auth?client_id=a&state=b';

describe('which browser the command line opens', () => {
  it('BROWSER comes first, as a colon-separated list, %s marking where the URL goes', () => {
    expect(browserCommands(URL_, { BROWSER: 'firefox:chromium --new-window %s' }, 'linux')).toEqual(
      [
        ['firefox', [URL_]],
        ['chromium', ['--new-window', URL_]],
        ['xdg-open', [URL_]],
      ],
    );
  });

  it('without BROWSER, the platform’s opener', () => {
    expect(browserCommands(URL_, {}, 'darwin')).toEqual([['open', [URL_]]]);
    expect(browserCommands(URL_, {}, 'linux')).toEqual([['xdg-open', [URL_]]]);
  });

  it('a command that fails at once is not "opened"; one that succeeds is', async () => {
    // (the failing case, BROWSER=/bin/false with a failing opener, is in connect-command.test.ts)
    expect(await openInBrowser(URL_, { BROWSER: '/bin/true' })).toBe(true);
  });
});
