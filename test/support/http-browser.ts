/**
 * A minimal user agent for integration tests: keeps cookies, follows redirects by hand, reads and
 * submits the sandbox's server-rendered forms. It clicks through sign-in and consent over real HTTP
 * the way a person's browser would, so tests need no mocks and no Chromium.
 */

export interface Page {
  url: string;
  status: number;
  html: string;
}

export interface FormButton {
  name?: string;
  value?: string;
  /** The label a person reads on the button. */
  text: string;
}

export interface ParsedForm {
  action: string;
  method: string;
  inputs: Map<string, string>;
  buttons: FormButton[];
}

const attr = (tag: string, name: string): string | undefined => {
  const match = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(tag);
  return match ? decodeEntities(match[2] ?? match[3] ?? '') : undefined;
};

const decodeEntities = (text: string): string =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

export function parseForms(html: string): ParsedForm[] {
  const forms: ParsedForm[] = [];
  for (const match of html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/gi)) {
    const source = match[0];
    const open = /<form\b[^>]*>/i.exec(source)?.[0] ?? '';
    const inputs = new Map<string, string>();
    for (const input of source.matchAll(/<input\b[^>]*>/gi)) {
      const name = attr(input[0], 'name');
      if (name) inputs.set(name, attr(input[0], 'value') ?? '');
    }
    const buttons: FormButton[] = [];
    for (const button of source.matchAll(/(<button\b[^>]*>)([\s\S]*?)<\/button>/gi)) {
      const open = button[1] ?? '';
      const name = attr(open, 'name');
      const value = attr(open, 'value');
      const text = decodeEntities((button[2] ?? '').replace(/<[^>]*>/g, '')).trim();
      buttons.push({
        text,
        ...(name !== undefined && { name }),
        ...(value !== undefined && { value }),
      });
    }
    forms.push({
      action: attr(open, 'action') ?? '',
      method: (attr(open, 'method') ?? 'get').toUpperCase(),
      inputs,
      buttons,
    });
  }
  return forms;
}

export class HttpBrowser {
  private readonly jar = new Map<string, Map<string, string>>();
  /** Every request this browser made, for assertions about what reached which server. */
  readonly history: { method: string; url: string; status: number }[] = [];

  constructor(private readonly timeoutMs = 10_000) {}

  private cookieHeader(url: URL): string | undefined {
    const cookies = this.jar.get(url.host);
    if (!cookies?.size) return undefined;
    return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private storeCookies(url: URL, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 1) continue;
      const cookies = this.jar.get(url.host) ?? new Map<string, string>();
      const value = pair.slice(eq + 1);
      const expired = /max-age=0|expires=thu, 01 jan 1970/i.test(line);
      if (expired || value === '') cookies.delete(pair.slice(0, eq));
      else cookies.set(pair.slice(0, eq), value);
      this.jar.set(url.host, cookies);
    }
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(target);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(target, {
      ...init,
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    this.storeCookies(target, response);
    this.history.push({ method: init.method ?? 'GET', url, status: response.status });
    return response;
  }

  /**
   * Follows redirects from `url` until a page, or until a redirect whose target satisfies
   * `stopAt` (the client's redirect URI, which a real browser would hand to the app).
   */
  async follow(
    url: string,
    stopAt: (location: URL) => boolean,
    init: RequestInit = {},
  ): Promise<Page | { redirect: URL }> {
    let current = url;
    let response = await this.request(current, init);
    for (let hops = 0; hops < 20; hops++) {
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        return { url: current, status: response.status, html: await response.text() };
      }
      const next = new URL(location, current);
      await response.body?.cancel();
      if (stopAt(next)) return { redirect: next };
      current = next.href;
      response = await this.request(current);
    }
    throw new Error(`Too many redirects starting at ${url}`);
  }

  /**
   * Fills in `fields` and clicks `button` (by its label), or submits the page's first form, the
   * way a person would.
   */
  async submit(
    page: Page,
    fields: Record<string, string>,
    stopAt: (location: URL) => boolean,
    button?: RegExp,
  ): Promise<Page | { redirect: URL }> {
    const forms = parseForms(page.html);
    const form = button ? forms.find((f) => f.buttons.some((b) => button.test(b.text))) : forms[0];
    if (!form) throw new Error(`No matching form on ${page.url}:\n${page.html.slice(0, 500)}`);
    const clicked = button ? form.buttons.find((b) => button.test(b.text)) : form.buttons[0];
    const body = new URLSearchParams([...form.inputs]);
    for (const [k, v] of Object.entries(fields)) body.set(k, v);
    if (clicked?.name) body.set(clicked.name, clicked.value ?? '');
    const action = new URL(form.action || page.url, page.url).href;
    return this.follow(action, stopAt, {
      method: form.method,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }
}
